import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { odinGridOodFree } from './odin-grid-ood-free.js';
import { chooseOdin, odinChoiceSchema } from './odin-choice.js';

/**
 * ODIN tuned without real OOD data, step 2: the (T, ε) that best separates MNIST validation from
 * synthetic OOD images. Same criterion, grid search and output schema as `odin-select`, so a
 * reader treats the two choices alike.
 */
export const odinSelectOodFree = defineStage({
  name: 'odin-select-ood-free',
  description: 'Week 3 III: choose ODIN T and ε on MNIST validation vs synthetic OOD images (no real OOD data; AUROC by default)',
  module: import.meta.url,
  config: z.strictObject({ criterion: z.enum(['auroc', 'fpr95']).default('auroc') }),
  needs: { odinGridOodFree },
  outputs: { choice: artifact.json(odinChoiceSchema) },
  async run({ config, inputs, log }) {
    const grid = inputs.odinGridOodFree;
    const choice = await chooseOdin(grid.scores, grid.grid, config.criterion, 'odin-select-ood-free');
    log(`chosen T = ${choice.temperature}, ε = ${choice.epsilon} (${config.criterion} ${choice.value.toFixed(4)} on synthetic OOD)`);
    return { choice };
  },
});
