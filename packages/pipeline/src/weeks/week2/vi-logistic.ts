import { deriveSeed } from '@rdl/core';
import { variationalLogisticConfigSchema } from '@rdl/models';
import { initBackend } from '@rdl/runtime';
import { createVariational } from '@rdl/uncertainty';
import { z } from 'zod';
import { defineStage } from '../../core/stage.js';
import { datasets } from './datasets.js';
import { last, modelOutputs, predictionsTable, rowsFromSummary, stageData, type PredictionRows } from './predictions.js';
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
    const vi = createVariational({
      architecture: 'logistic',
      config: { ...config.model, seed: deriveSeed(seed + config.model.seed, 'week2/vi-logistic/model') },
      samples: config.samples,
      seed: deriveSeed(seed, 'week2/vi-logistic/samples'),
    });
    const started = performance.now();
    await vi.fit(data);
    recordTrainSeconds(record, 'VI', 'blobs', started);
    const rows: PredictionRows[] = [];
    for (const [part, x] of [
      ['grid', data.grid],
      ['train', data.x],
    ] as const)
      rows.push(rowsFromSummary({ method: 'VI', dataset: 'blobs', part, x }, await vi.predictive(x)));
    const finalLoss = last(vi.losses!);
    vi.dispose();
    return { predictions: predictionsTable(rows), summary: { methods: [{ method: 'VI', dataset: 'blobs', finalLoss }] } };
  },
});
