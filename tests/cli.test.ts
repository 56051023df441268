import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { copyWorkspace } from './support/workspace-copy.js';

let root = '';
beforeAll(() => {
  root = copyWorkspace();
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function rdl(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['--conditions=rdl-source', 'apps/cli/src/rdl.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', CI: 'true' },
  });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

describe('rdl', () => {
  test('list --json names every pipeline and stage with its state', () => {
    const r = rdl('list', '--json');
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as { pipeline: string; stages: { stage: string; state: string }[] }[];
    expect(list.map((p) => p.pipeline)).toContain('week1');
    for (const p of list) for (const s of p.stages) expect(['missing', 'fresh', 'stale']).toContain(s.state);
  });

  test.each([
    [['--set', 'datasets.line.n=abc'], /stages\.datasets\.line\.n: .*expected number/],
    [['--set', 'datasets.line.bogus=1'], /stages\.datasets\.line: unknown key 'bogus'/],
    [['--set', 'datasets.line.noiseStd=-1'], /stages\.datasets\.line\.noiseStd: .*>=\s*0/],
  ])('run week1 %j fails with one line naming the field, exit 1, no artifacts', (args, message) => {
    const r = rdl('run', 'week1', ...args);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(root, 'artifacts'))).toBe(false);
  });

  test('a broken config file is named, exit 1', () => {
    writeFileSync(join(root, 'configs', 'week1.broken.json'), '{ "seed": "x" }');
    const r = rdl('run', 'week1', '--config', 'broken');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/configs\/week1.broken.json: seed: /);
  });

  test('bad usage exits 2', () => {
    expect(rdl('frobnicate').status).toBe(2);
    expect(rdl('run').status).toBe(2);
    expect(rdl('run', 'week9').status).toBe(2);
  });

  test('show on a stage that has not run says how to run it, exit 1', () => {
    const r = rdl('show', 'week1:datasets');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/has not run yet \(rdl run week1-datasets\)/);
  });
});
