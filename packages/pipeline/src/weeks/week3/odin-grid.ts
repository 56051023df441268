import { deriveSeed } from '@rdl/core';
import { imageSetFromTable, sampleIndices, subset } from '@rdl/data';
import { initBackend } from '@rdl/runtime';
import { ODIN_SPACE } from '@rdl/uncertainty';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { lenetFromArtifact } from './lenet-checkpoint.js';
import { mnist } from './mnist.js';
import { odinGridSchema, scoreOdinGrid } from './odin-scoring.js';
import { oodData } from './ood-data.js';
import { trainLenet } from './train-lenet.js';

// Kept importable from here for readers written before the scoring moved to odin-scoring.ts.
export { odinBatches, odinGridSchema, type OdinGrid } from './odin-scoring.js';

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
      return await scoreOdinGrid(model, tuneIn, tuneOut, config, progress);
    } finally {
      model.dispose();
    }
  },
});
