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

/** Variables that choose what a stage computes: a test sets them explicitly, never inherits them. */
const RDL_ENV = ['RDL_CONFIG', 'RDL_SET', 'RDL_BACKEND', 'RDL_THREADS'];

/** The environment of an Nx process: the caller's, minus RDL_*, plus `env` (undefined removes a variable). */
function nxEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true' };
  for (const name of RDL_ENV) delete out[name];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

export function runNx(root: string, args: string[], env: Record<string, string | undefined> = {}): NxRun {
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), ...args, '--output-style=static'], {
    cwd: root,
    encoding: 'utf8',
    env: nxEnv(env),
    timeout: 600_000,
  });
  return { status: result.status ?? 1, output: `${result.stdout}\n${result.stderr}` };
}

/**
 * Nx's hash of each task of the pipeline project that running `targets` involves, computed as
 * `nx run` would with `env` (tests/support/task-hashes.cjs), without running anything. A task
 * whose upstream outputs are on disk hashes them, as in a real run.
 */
export function taskHashes(root: string, targets: string[], env: Record<string, string | undefined> = {}): Record<string, string> {
  const result = spawnSync(process.execPath, [join(repoRoot, 'tests', 'support', 'task-hashes.cjs'), ...targets], {
    cwd: root,
    encoding: 'utf8',
    env: nxEnv(env),
    timeout: 300_000,
  });
  if (result.status !== 0) throw new Error(`task-hashes.cjs failed (${result.status}):\n${result.stderr}`);
  const hashes = JSON.parse(result.stdout) as Record<string, string>;
  return Object.fromEntries(Object.entries(hashes).map(([id, hash]) => [id.replace(/^[^:]+:/, ''), hash]));
}

/** A stage's output files and their SHA-256, from its manifest (undefined when it has none). */
export function outputDigests(root: string, pipeline: string, stage: string): Record<string, string> | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'artifacts', pipeline, stage, 'manifest.json'), 'utf8')) as {
      outputs: { file: string; sha256: string }[];
    };
    return Object.fromEntries(manifest.outputs.map((o) => [o.file, o.sha256]));
  } catch {
    return undefined;
  }
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
