import { initBackend, predictiveSamples, trainVariationalLogistic, variationalLogisticConfigSchema } from '@rdl/models';
import { z } from 'zod';
import { defineStage } from '../../core/stage.js';
import { datasets } from './datasets.js';
import { last, modelOutputs, predictionsTable, rowsFromSamples, stageData } from './predictions.js';
import { recordTrainSeconds } from './timings.js';

/** 1.3 variational logistic regression on the blobs. */
export const viLogistic = defineStage({
  name: 'vi-logistic',
  description: '1.3 variational logistic regression (LinearVariational, μ init 0, ρ init 1, prior N(0, 1), Adam lr 0.1, 30 epochs)',
  module: import.meta.url,
  config: z.object({ model: variationalLogisticConfigSchema.prefault({}), samples: z.number().int().positive().default(100) }),
  needs: { datasets },
  outputs: modelOutputs,
  async run({ config, inputs, seed, record }) {
    record('backend', (await initBackend()).name);
    const data = stageData(inputs.datasets, inputs.datasets.grids, 'blobs');
    const started = performance.now();
    const trained = trainVariationalLogistic(data.x, data.y, { ...config.model, seed: seed + config.model.seed });
    recordTrainSeconds(record, 'VI', 'blobs', started);
    const rows = (['grid', 'train'] as const).map((part) => {
      const x = part === 'grid' ? data.grid : data.x;
      return rowsFromSamples({ method: 'VI', dataset: 'blobs', part, x }, predictiveSamples(trained.model, x, config.samples, seed + 11), config.samples);
    });
    trained.model.dispose();
    return { predictions: predictionsTable(rows), summary: { methods: [{ method: 'VI', dataset: 'blobs', finalLoss: last(trained.losses) }] } };
  },
});
