import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { copyWorkspace } from './support/workspace-copy.js';

let root = '';
beforeAll(() => {
  root = copyWorkspace();
});
afterAll(() => {
  // A killed stage's last writes can still land while the folder is removed: retry (ENOTEMPTY).
  if (root) rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

function runStageProcess(stage: string): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['packages/pipeline/bin/launch-stage.mjs', 'week1', stage], {
    cwd: root,
    env: { ...process.env, RDL_CONFIG: 'smoke' },
    stdio: 'ignore',
    // Its own process group, killed whole: nothing the stage started may outlive it.
    detached: true,
  });
}

async function runAndKill(stage: string, afterMs: number, signal: NodeJS.Signals): Promise<void> {
  const child = runStageProcess(stage);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise((r) => setTimeout(r, afterMs));
  process.kill(-child.pid!, signal);
  await exited;
}

/** A stage folder is either absent or complete: a manifest whose every output exists with its hash. */
function assertAbsentOrComplete(stage: string): 'absent' | 'complete' {
  const dir = join(root, 'artifacts', 'week1', stage);
  if (!existsSync(dir)) return 'absent';
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { outputs: { file: string; sha256: string }[] };
  const files = readdirSync(join(dir, 'outputs')).sort();
  expect(files).toEqual(manifest.outputs.map((o) => o.file).sort());
  for (const output of manifest.outputs) {
    const hash = createHash('sha256')
      .update(readFileSync(join(dir, 'outputs', output.file)))
      .digest('hex');
    expect(hash, output.file).toBe(output.sha256);
  }
  return 'complete';
}

describe('a run killed in the middle of a stage', () => {
  test.each(['SIGKILL', 'SIGTERM'] as const)('leaves no partial result after %s at any moment', async (signal) => {
    const seen = new Set<string>();
    for (const [index, delay] of [150, 400, 700, 1000, 1300, 1700, 2200].entries()) {
      // Start from an existing result each time: a killed rerun must not leave it half-replaced.
      if (index % 2 === 0) rmSync(join(root, 'artifacts', 'week1', 'datasets'), { recursive: true, force: true });
      await runAndKill('datasets', delay, signal);
      seen.add(assertAbsentOrComplete('datasets'));
    }
    // Some kills landed before the result was published, so the folder was really exercised.
    expect(seen.has('absent')).toBe(true);
    // Nothing the killed runs staged is left for a later run to pick up.
    const staging = join(root, 'artifacts', '.staging');
    const leftovers = existsSync(staging) ? readdirSync(staging) : [];
    if (signal === 'SIGTERM') expect(leftovers).toEqual([]);
  });
});
