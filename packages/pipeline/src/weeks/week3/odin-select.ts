import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { chooseOdin, odinChoiceSchema } from './odin-choice.js';
import { odinGrid } from './odin-grid.js';

// Kept importable from here for readers written before the choice moved to odin-choice.ts.
export { odinChoiceSchema, type OdinChoice } from './odin-choice.js';

/**
 * Picks ODIN's (T, ε) on the tuning scores with the one grid search and the same OOD metrics the
 * report uses (highest criterion; ties keep the first point; NaN is never chosen). Only the choice
 * goes downstream, so an eval edit that keeps it leaves the test scoring cached.
 */
export const odinSelect = defineStage({
  name: 'odin-select',
  description: 'Week 3 III: choose ODIN T and ε on the held-out tuning scores (AUROC by default, OOD positive)',
  module: import.meta.url,
  config: z.strictObject({ criterion: z.enum(['auroc', 'fpr95']).default('auroc') }),
  needs: { odinGrid },
  outputs: { choice: artifact.json(odinChoiceSchema) },
  async run({ config, inputs, log }) {
    const choice = await chooseOdin(inputs.odinGrid.scores, inputs.odinGrid.grid, config.criterion, 'odin-select');
    log(`chosen T = ${choice.temperature}, ε = ${choice.epsilon} (${config.criterion} ${choice.value.toFixed(4)})`);
    return { choice };
  },
});
