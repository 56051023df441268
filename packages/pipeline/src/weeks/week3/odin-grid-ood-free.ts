import { imageSetFromTable } from '@rdl/data';
import { initBackend } from '@rdl/runtime';
import { ODIN_SPACE } from '@rdl/uncertainty';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { lenetFromArtifact } from './lenet-checkpoint.js';
import { odinGridSchema, scoreOdinGrid } from './odin-scoring.js';
import { oodSynthetic } from './ood-synthetic.js';
import { trainLenet } from './train-lenet.js';

/**
 * ODIN tuned without real OOD data, step 1: scores of MNIST validation digits and synthetic OOD
 * images (noise, permuted digits; `ood-synthetic`) at every (T, ε) of the grid.
 */
export const odinGridOodFree = defineStage({
  name: 'odin-grid-ood-free',
  description: 'Week 3 III: ODIN scores of MNIST validation vs synthetic OOD images (no real OOD data) at every T and ε of the grid',
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
    batchSize: z.number().int().min(1).default(256),
  }),
  needs: { trainLenet, oodSynthetic },
  outputs: { scores: artifact.table(), grid: artifact.json(odinGridSchema) },
  async run({ config, inputs, progress, record }) {
    record('backend', (await initBackend()).name);
    const model = lenetFromArtifact(inputs.trainLenet.weights, inputs.trainLenet.history.model);
    try {
      const tuneIn = imageSetFromTable(inputs.oodSynthetic.tuneIn, 'ood-synthetic tuneIn');
      const tuneOut = imageSetFromTable(inputs.oodSynthetic.tuneOut, 'ood-synthetic tuneOut');
      return await scoreOdinGrid(model, tuneIn, tuneOut, config, progress);
    } finally {
      model.dispose();
    }
  },
});
