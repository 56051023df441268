import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runStage } from '../../src/core/runner.js';
import { STAGING_DIR, stageDir } from '../../src/core/store.js';
import { tempRoot, toy } from '../fixtures.js';

const quiet = { log: () => undefined };

describe('runStage', () => {
  test('writes outputs and a manifest, and downstream reads them typed', async () => {
    const root = tempRoot({ seed: 1, stages: { source: { count: 4 } } });
    await runStage(toy, 'source', { root, ...quiet });
    const manifest = await runStage(toy, 'total', { root, ...quiet });
    expect(JSON.parse(readFileSync(join(stageDir(root, 'toy', 'total'), 'outputs', 'results.json'), 'utf8'))).toEqual({
      total: 1 + 2 + 3 + 4,
    });
    expect(manifest.outputs.map((o) => o.file)).toEqual(['results.json', 'note.md']);
    expect(manifest).toMatchObject({ pipeline: 'toy', stage: 'total', seed: 1, config: { scale: 1 } });
    expect(readdirSync(join(root, STAGING_DIR))).toEqual([]);
  });

  test('a missing upstream names the file and the stage to run', async () => {
    const root = tempRoot();
    await expect(runStage(toy, 'total', { root, ...quiet })).rejects.toThrow(
      /artifacts\/toy\/source\/outputs\/numbers.json is missing: run the 'source' stage/,
    );
  });

  test('a corrupt upstream artifact is rejected by its schema', async () => {
    const root = tempRoot();
    await runStage(toy, 'source', { root, ...quiet });
    writeFileSync(join(stageDir(root, 'toy', 'source'), 'outputs', 'numbers.json'), '["a"]');
    await expect(runStage(toy, 'total', { root, ...quiet })).rejects.toThrow(/numbers.json: 0: .*expected number/);
  });

  test('invalid config writes nothing and keeps nothing stale', async () => {
    const root = tempRoot({ stages: { source: { count: 0 } } });
    await expect(runStage(toy, 'source', { root, ...quiet })).rejects.toThrow(/stages.source.count/);
    expect(existsSync(join(root, 'artifacts', 'toy'))).toBe(false);
  });

  test('a failed rerun removes the previous result and leaves no staging behind', async () => {
    const root = tempRoot({ seed: 1, stages: { source: { count: 2 } } });
    await runStage(toy, 'source', { root, ...quiet });
    await runStage(toy, 'total', { root, ...quiet });
    writeFileSync(join(stageDir(root, 'toy', 'source'), 'outputs', 'numbers.json'), '[1, "x"]');
    await expect(runStage(toy, 'total', { root, ...quiet })).rejects.toThrow();
    expect(existsSync(stageDir(root, 'toy', 'total'))).toBe(false);
    expect(readdirSync(join(root, STAGING_DIR))).toEqual([]);
  });
});
