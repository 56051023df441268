import { imageSetFromTable } from '@rdl/data';
import { initBackend } from '@rdl/runtime';
import { createOdin } from '@rdl/uncertainty';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { lenetFromArtifact } from './lenet-checkpoint.js';
import { mnist } from './mnist.js';
import { odinBatches } from './odin-grid.js';
import { odinChoiceSchema, odinSelect } from './odin-select.js';
import { oodData } from './ood-data.js';
import { perImageTable } from './tables.js';
import { trainLenet } from './train-lenet.js';

export type OdinResult = z.infer<typeof odinChoiceSchema>;

/** ODIN scores of the MNIST test and OOD test images at the (T, ε) chosen on held-out data; the time goes to the manifest. */
export const odin = defineStage({
  name: 'odin',
  description: 'Week 3 III: ODIN scores for MNIST test and OOD test at the T and ε chosen on held-out data',
  module: import.meta.url,
  config: z.strictObject({ batchSize: z.number().int().min(1).default(256) }),
  needs: { trainLenet, mnist, oodData, odinSelect },
  outputs: { test: artifact.table(), ood: artifact.table(), result: artifact.json(odinChoiceSchema) },
  async run({ config, inputs, record }) {
    record('backend', (await initBackend()).name);
    const model = lenetFromArtifact(inputs.trainLenet.weights, inputs.trainLenet.history.model);
    try {
      const choice = inputs.odinSelect.choice;
      const odin = createOdin((x) => model.logits(x, { training: false }), { batchSize: config.batchSize });
      const params = { temperature: choice.temperature, epsilon: choice.epsilon };
      const started = Date.now();
      const test = imageSetFromTable(inputs.mnist.test, 'mnist test');
      const ood = imageSetFromTable(inputs.oodData.test, 'ood test');
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
  },
});
