import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { mnist } from './mnist.js';
import { odinChoiceSchema } from './odin-choice.js';
import { scoreOdinTest } from './odin-scoring.js';
import { odinSelect } from './odin-select.js';
import { oodData } from './ood-data.js';
import { trainLenet } from './train-lenet.js';

export type OdinResult = z.infer<typeof odinChoiceSchema>;

/** ODIN scores of the MNIST test and OOD test images at the (T, ε) chosen on held-out OOD data; the time goes to the manifest. */
export const odin = defineStage({
  name: 'odin',
  description: 'Week 3 III: ODIN scores for MNIST test and OOD test at the T and ε chosen on held-out OOD data',
  module: import.meta.url,
  config: z.strictObject({ batchSize: z.number().int().min(1).default(256) }),
  needs: { trainLenet, mnist, oodData, odinSelect },
  outputs: { test: artifact.table(), ood: artifact.table(), result: artifact.json(odinChoiceSchema) },
  async run({ config, inputs, record }) {
    return scoreOdinTest(
      {
        weights: inputs.trainLenet.weights,
        meta: inputs.trainLenet.history.model,
        mnistTest: inputs.mnist.test,
        oodTest: inputs.oodData.test,
        choice: inputs.odinSelect.choice,
        batchSize: config.batchSize,
      },
      record,
    );
  },
});
