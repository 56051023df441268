import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * A private copy of the workspace's source (what git tracks or would track) with node_modules
 * linked entry by entry, except the workspace packages, which point into the copy — so edits in
 * the copy are what runs, and Nx's cache and artifacts stay out of the real checkout.
 */
export function copyWorkspace(): string {
  const dest = mkdtempSync(join(tmpdir(), 'rdl-ws-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && !f.startsWith('tests/'));
  for (const file of files) {
    mkdirSync(join(dest, dirname(file)), { recursive: true });
    try {
      cpSync(join(repoRoot, file), join(dest, file));
    } catch {
      // deleted in the working tree but still tracked: skip
    }
  }
  const modules = join(dest, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(repoRoot, 'node_modules'))) {
    if (entry === '@rdl' || entry === '.cache') continue;
    symlinkSync(join(repoRoot, 'node_modules', entry), join(modules, entry));
  }
  mkdirSync(join(modules, '@rdl'));
  for (const entry of readdirSync(join(repoRoot, 'node_modules', '@rdl'))) {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'node_modules', '@rdl', entry, 'package.json'), 'utf8')) as { name: string };
    const folder = pkg.name === '@rdl/cli' ? join('apps', 'cli') : join('packages', entry);
    symlinkSync(join(dest, folder), join(modules, '@rdl', entry));
  }
  return dest;
}

export interface NxRun {
  status: number;
  output: string;
}

export function runNx(root: string, args: string[], env: Record<string, string> = {}): NxRun {
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), ...args, '--output-style=static'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true', ...env },
    timeout: 600_000,
  });
  return { status: result.status ?? 1, output: `${result.stdout}\n${result.stderr}` };
}

/** When each stage of a pipeline last computed (its manifest's start time), or undefined if absent. */
export function stageStarts(root: string, pipeline: string): Record<string, string | undefined> {
  const dir = join(root, 'artifacts', pipeline);
  const out: Record<string, string | undefined> = {};
  let stages: string[];
  try {
    stages = readdirSync(dir);
  } catch {
    return out;
  }
  for (const stage of stages) {
    try {
      out[stage] = (JSON.parse(readFileSync(join(dir, stage, 'manifest.json'), 'utf8')) as { startedAt: string }).startedAt;
    } catch {
      out[stage] = undefined;
    }
  }
  return out;
}
