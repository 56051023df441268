import { imageSetFromTable, type ImageSet } from '@rdl/data';
import { imagesToTensor, type LeNet } from '@rdl/models';
import { initBackend } from '@rdl/runtime';
import { createOdin, gridPoints, scoreGrid, type OdinParams, type PixelBatches } from '@rdl/uncertainty';
import { tableFromArrays, type Table } from 'apache-arrow';
import { z } from 'zod';
import type { BinaryArtifact } from '../../core/artifacts.js';
import type { Progress } from '../../core/stage.js';
import { lenetFromArtifact, type LenetMeta } from './lenet-checkpoint.js';
import type { OdinChoice } from './odin-choice.js';
import { perImageTable } from './tables.js';

// ODIN scoring shared by the grid and test stages of both tunings. It lives outside the stage
// modules because a stage module is a boundary of the cache-key import graph: code imported from
// another stage's file would not be in the importing stage's key.

export const odinBatches = (set: ImageSet): PixelBatches => ({
  pixels: set.pixels,
  count: set.count,
  toTensor: (pixels, count) => imagesToTensor(pixels, count),
});

export const odinGridSchema = z.object({
  /** The searched space, as the one grid search enumerates it (temperatures outer). */
  space: z.object({ temperature: z.array(z.number()), epsilon: z.array(z.number()) }),
  /** The score's name and direction, as ODIN stated them. */
  score: z.object({ name: z.string(), direction: z.enum(['higher-is-more-uncertain', 'higher-is-more-confident']) }),
  tuneIn: z.number().int(),
  tuneOut: z.number().int(),
});
export type OdinGrid = z.infer<typeof odinGridSchema>;

export interface OdinGridConfig {
  temperatures: number[];
  epsilons: number[];
  batchSize: number;
}

/**
 * ODIN scores of `tuneIn` (in-distribution) and `tuneOut` (OOD) at every (T, ε) of the grid, as
 * one table: each point's in-distribution rows, then its OOD rows, points in grid order. Shared by
 * the grid on real OOD tuning images and the OOD-free grid on synthetic ones.
 */
export async function scoreOdinGrid(
  model: LeNet,
  tuneIn: ImageSet,
  tuneOut: ImageSet,
  config: OdinGridConfig,
  progress: (label: string, total: number) => Progress,
): Promise<{ scores: Table; grid: OdinGrid }> {
  const odin = createOdin((x) => model.logits(x, { training: false }), { batchSize: config.batchSize });
  const space = { temperature: config.temperatures, epsilon: config.epsilons };
  const points = gridPoints<OdinParams>(space);
  const bar = progress(`ODIN grid (${config.temperatures.length} T × ${config.epsilons.length} ε), in then out`, 2);
  const inScores = await scoreGrid(odin, odinBatches(tuneIn), points);
  bar.tick(1, tuneIn.name);
  const outScores = await scoreGrid(odin, odinBatches(tuneOut), points);
  bar.done();
  // One row per (point, image): each point's in-distribution rows, then its OOD rows.
  const perPoint = tuneIn.count + tuneOut.count;
  const T = new Float64Array(points.length * perPoint);
  const eps = new Float64Array(points.length * perPoint);
  const isOod = new Uint8Array(points.length * perPoint);
  const score = new Float32Array(points.length * perPoint);
  let row = 0;
  points.forEach((point, k) => {
    for (const [values, ood] of [
      [inScores[k]!.values, 0],
      [outScores[k]!.values, 1],
    ] as const) {
      for (let i = 0; i < values.length; i++, row++) {
        T[row] = point.temperature;
        eps[row] = point.epsilon;
        isOod[row] = ood;
        score[row] = values[i]!;
      }
    }
  });
  const { name, direction } = inScores[0]!;
  return {
    scores: tableFromArrays({ T, eps, isOod, score }),
    grid: { space, score: { name, direction }, tuneIn: tuneIn.count, tuneOut: tuneOut.count },
  };
}

export interface OdinTestInputs {
  weights: BinaryArtifact;
  meta: LenetMeta;
  mnistTest: Table;
  oodTest: Table;
  choice: OdinChoice;
  batchSize: number;
}

export interface OdinTestScores {
  test: Table;
  ood: Table;
  result: OdinChoice;
}

/**
 * The OOD-free tuning's test scores: when it chose the same (T, ε) as the held-out tuning, the
 * held-out stage's scores (the same model, images and parameters: the same numbers, scored once,
 * at that stage's batch size); else scored at its own choice.
 */
export async function scoreOdinTestUnlessScored(
  inputs: OdinTestInputs,
  scored: OdinTestScores,
  record: (key: string, value: string | number | boolean) => void,
): Promise<OdinTestScores> {
  const same = scored.result.temperature === inputs.choice.temperature && scored.result.epsilon === inputs.choice.epsilon;
  record('sameChoiceAsHeldOut', same);
  if (!same) return scoreOdinTest(inputs, record);
  return { test: scored.test, ood: scored.ood, result: inputs.choice };
}

/** ODIN scores of the MNIST test and OOD test images at one chosen (T, ε); shared by both ways of tuning. */
export async function scoreOdinTest(
  { weights, meta, mnistTest, oodTest, choice, batchSize }: OdinTestInputs,
  record: (key: string, value: string | number | boolean) => void,
): Promise<OdinTestScores> {
  record('backend', (await initBackend()).name);
  const model = lenetFromArtifact(weights, meta);
  try {
    const odin = createOdin((x) => model.logits(x, { training: false }), { batchSize });
    const params = { temperature: choice.temperature, epsilon: choice.epsilon };
    const started = Date.now();
    const test = imageSetFromTable(mnistTest, 'mnist test');
    const ood = imageSetFromTable(oodTest, 'ood test');
    const testScore = await odin.score(odinBatches(test), params);
    const oodScore = await odin.score(odinBatches(ood), params);
    record('seconds', Number(((Date.now() - started) / 1000).toFixed(1)));
    return {
      test: perImageTable(test.count, {}, {}, { odin: testScore }),
      ood: perImageTable(ood.count, {}, {}, { odin: oodScore }),
      result: choice,
    };
  } finally {
    model.dispose();
  }
}
