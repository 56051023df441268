import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { mnist } from './mnist.js';
import { odinChoiceSchema } from './odin-choice.js';
import { scoreOdinTestUnlessScored } from './odin-scoring.js';
import { odin } from './odin.js';
import { odinSelectOodFree } from './odin-select-ood-free.js';
import { oodData } from './ood-data.js';
import { trainLenet } from './train-lenet.js';

/**
 * ODIN scores of the MNIST test and OOD test images at the (T, ε) chosen without real OOD data;
 * the held-out tuning's scores when both tunings chose the same point (scored once).
 */
export const odinOodFree = defineStage({
  name: 'odin-ood-free',
  description:
    'Week 3 III: ODIN scores for MNIST test and OOD test at the T and ε chosen on synthetic OOD (no real OOD data); ' +
    "the held-out tuning's scores when both chose the same T and ε",
  module: import.meta.url,
  // Used when this stage scores (a different choice than the held-out tuning's).
  config: z.strictObject({ batchSize: z.number().int().min(1).default(256) }),
  needs: { trainLenet, mnist, oodData, odinSelectOodFree, odin },
  outputs: { test: artifact.table(), ood: artifact.table(), result: artifact.json(odinChoiceSchema) },
  async run({ config, inputs, record }) {
    return scoreOdinTestUnlessScored(
      {
        weights: inputs.trainLenet.weights,
        meta: inputs.trainLenet.history.model,
        mnistTest: inputs.mnist.test,
        oodTest: inputs.oodData.test,
        choice: inputs.odinSelectOodFree.choice,
        batchSize: config.batchSize,
      },
      inputs.odin,
      record,
    );
  },
});
