import { deriveSeed } from '@rdl/core';
import { imageSetFromTable, sampleIndices, subset, type ImageSet } from '@rdl/data';
import { imagesToTensor } from '@rdl/models';
import { initBackend } from '@rdl/runtime';
import { createOdin, gridPoints, ODIN_SPACE, scoreGrid, type OdinParams, type PixelBatches } from '@rdl/uncertainty';
import { tableFromArrays } from 'apache-arrow';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { lenetFromArtifact } from './lenet-checkpoint.js';
import { mnist } from './mnist.js';
import { oodData } from './ood-data.js';
import { trainLenet } from './train-lenet.js';

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

/**
 * ODIN scores of the held-out tuning images (MNIST validation vs the OOD tuning sample, never the
 * test sets) at every point of the grid. Choosing the point needs a metric, which lives in
 * @rdl/eval; keeping that choice in its own stage means an eval edit never recomputes this grid.
 */
export const odinGrid = defineStage({
  name: 'odin-grid',
  description: 'Week 3 III: ODIN scores of the held-out tuning images at every temperature T and perturbation ε of the grid',
  module: import.meta.url,
  config: z.strictObject({
    temperatures: z
      .array(z.number().positive())
      .min(1)
      .default([...ODIN_SPACE.temperature]),
    epsilons: z
      .array(z.number().min(0))
      .min(1)
      .default([...ODIN_SPACE.epsilon]),
    /** In-distribution tuning images drawn from the validation split (as many as the OOD tuning sample by default). */
    tuneInCount: z.number().int().min(1).default(1000),
    batchSize: z.number().int().min(1).default(256),
  }),
  needs: { trainLenet, mnist, oodData },
  outputs: { scores: artifact.table(), grid: artifact.json(odinGridSchema) },
  async run({ config, seed, inputs, progress, record }) {
    record('backend', (await initBackend()).name);
    const model = lenetFromArtifact(inputs.trainLenet.weights, inputs.trainLenet.history.model);
    try {
      const validation = imageSetFromTable(inputs.mnist.validation, 'mnist validation');
      const tuneIn = subset(
        validation,
        sampleIndices(validation.count, {
          count: Math.min(config.tuneInCount, validation.count),
          seed: deriveSeed(seed, 'week3/odin-grid/tune-in'),
        }),
      );
      const tuneOut = imageSetFromTable(inputs.oodData.tune, 'ood tune');
      const odin = createOdin((x) => model.logits(x, { training: false }), { batchSize: config.batchSize });
      const space = { temperature: config.temperatures, epsilon: config.epsilons };
      const points = gridPoints<OdinParams>(space);
      const bar = progress(`ODIN grid (${config.temperatures.length} T × ${config.epsilons.length} ε), in then out`, 2);
      const inScores = await scoreGrid(odin, odinBatches(tuneIn), points);
      bar.tick(1, 'MNIST validation');
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
    } finally {
      model.dispose();
    }
  },
});
