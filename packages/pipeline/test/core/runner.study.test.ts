import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, test } from 'vitest';
import { artifact } from '../../src/core/artifacts.js';
import { runStage, runStudyStage } from '../../src/core/runner.js';
import { stageDir } from '../../src/core/store.js';
import { defineStudy, defineStudyStage, seedScope } from '../../src/core/study.js';
import { source, tempRoot, total, toy } from '../fixtures.js';

const quiet = { log: () => undefined };

// A study of the toy pipeline: the total of every seed, and the seeds it saw.
const collect = defineStudyStage({
  name: 'collect',
  description: 'totals of every seed',
  module: import.meta.url,
  config: z.object({}),
  needs: {},
  perSeed: { total },
  outputs: { totals: artifact.json(z.array(z.object({ seed: z.number(), total: z.number() }))) },
  async run({ seeds }) {
    return { totals: seeds.map((s) => ({ seed: s.seed, total: s.inputs.total.results.total })) };
  },
});
const study = defineStudy({ pipeline: toy, description: 'fixture study', stages: [collect] });

async function runSeeds(root: string, seeds: number[], weekSeed: number): Promise<void> {
  for (const seed of seeds) {
    const options = seed === weekSeed ? { root, ...quiet } : { root, seed, ...quiet };
    await runStage(toy, 'source', options);
    await runStage(toy, 'total', options);
  }
}

describe('multi-seed studies', () => {
  test('the study clones exactly the per-seed stages and their ancestors', () => {
    expect(study.name).toBe('toy-study');
    expect(study.seedStages.map((s) => s.name)).toEqual(['source', 'total']);
  });

  test("a seed's clone runs with that seed in its own folder; the study reads the week's run for the week's seed", async () => {
    const root = tempRoot({ seed: 1, study: { seeds: [1, 5] }, stages: { source: { count: 3 } } });
    await runSeeds(root, [1, 5], 1);
    const cloned = JSON.parse(readFileSync(join(stageDir(root, seedScope('toy', 5), 'source'), 'manifest.json'), 'utf8')) as {
      seed: number;
    };
    expect(cloned.seed).toBe(5);
    const manifest = await runStudyStage(study, 'collect', { root, seeds: [1, 5], weekSeed: 1, ...quiet });
    expect(manifest.stage).toBe('collect');
    const totals = JSON.parse(readFileSync(join(stageDir(root, 'toy-study', 'collect'), 'outputs', 'totals.json'), 'utf8')) as unknown;
    // source gives i + seed for i < 3: seed 1 → 1+2+3, seed 5 → 5+6+7.
    expect(totals).toEqual([
      { seed: 1, total: 6 },
      { seed: 5, total: 18 },
    ]);
  });

  test("the config's seeds must be those the targets were generated for, and so must the week's seed", async () => {
    const root = tempRoot({ seed: 1, study: { seeds: [1, 5, 7] }, stages: {} });
    await expect(runStudyStage(study, 'collect', { root, seeds: [1, 5], weekSeed: 1, ...quiet })).rejects.toThrow(
      /study\.seeds is \[1, 5, 7\] but the Nx targets of toy-study were generated for \[1, 5\]: run `npm run gen:nx`/,
    );
    const other = tempRoot({ seed: 2, study: { seeds: [1, 5] }, stages: {} });
    await expect(runStudyStage(study, 'collect', { root: other, seeds: [1, 5], weekSeed: 1, ...quiet })).rejects.toThrow(
      /seed is 2 but the Nx targets of toy-study were generated with the week's seed 1/,
    );
  });

  test('a seed computed with another seed is refused, naming the folder', async () => {
    const root = tempRoot({ seed: 1, study: { seeds: [1, 5] }, stages: {} });
    await runSeeds(root, [1], 1);
    // seed 5's folder filled by a run of seed 6: the study must not take it for seed 5.
    await runStage(toy, 'source', { root, seed: 6, ...quiet });
    await runStage(toy, 'total', { root, seed: 6, ...quiet });
    const { renameSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(root, 'artifacts', 'toy-study', 'seed-5'), { recursive: true });
    renameSync(stageDir(root, seedScope('toy', 6), 'total'), stageDir(root, seedScope('toy', 5), 'total'));
    await expect(runStudyStage(study, 'collect', { root, seeds: [1, 5], weekSeed: 1, ...quiet })).rejects.toThrow(
      /artifacts\/toy-study\/seed-5\/total was computed with seed 6, not the study's seed 5/,
    );
  });

  test('study.seeds is validated: a repeated seed and a negative seed are errors naming the field', async () => {
    const root = tempRoot({ seed: 1, study: { seeds: [1, 1] }, stages: {} });
    await expect(runStage(toy, 'source', { root, ...quiet })).rejects.toThrow(/study\.seeds: must not repeat a seed/);
    const negative = tempRoot({ seed: 1, study: { seeds: [-1] }, stages: {} });
    await expect(runStage(toy, 'source', { root: negative, ...quiet })).rejects.toThrow(/study\.seeds\.0/);
  });

  test('a study stage may need only week stages or earlier study stages', () => {
    expect(() => defineStudy({ pipeline: { ...toy, stages: [] }, description: 'x', stages: [collect] })).toThrow(
      /reads 'total' per seed, which is not a toy stage/,
    );
    expect(source.name).toBe('source');
  });
});
