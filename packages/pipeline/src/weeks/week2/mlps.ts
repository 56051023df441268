import { deriveSeed } from '@rdl/core';
import { mcDropoutMlpConfigSchema, mlpConfigSchema, trainMcDropoutMlp, variationalMlpConfigSchema } from '@rdl/models';
import { initBackend } from '@rdl/runtime';
import { binaryStochasticClassifier, createBinaryMcDropout, createMap, createVariational } from '@rdl/uncertainty';
import { z } from 'zod';
import { defineStage } from '../../core/stage.js';
import { datasets, type DatasetName } from './datasets.js';
import {
  last,
  modelOutputs,
  predictionsTable,
  rowsFromSummary,
  stageData,
  type MethodSummary,
  type PredictionRows,
} from './predictions.js';
import { recordTrainSeconds } from './timings.js';

const MOONS: DatasetName[] = ['moons', 'noisyMoons'];

/** 2.1 deterministic MLP, 2.1 Bayesian MLP by VI, 2.2 MC-dropout MLP, on both moons sets. */
export const mlps = defineStage({
  name: 'mlps',
  description:
    '2.1 deterministic MLP 2→50→1 and Bayesian MLP by VI; 2.2 MC dropout p = 0.2 kept at test time; two moons, noise 0.05 and 0.3; 100 passes',
  module: import.meta.url,
  config: z.object({
    deterministic: mlpConfigSchema.prefault({}),
    mcDropout: mcDropoutMlpConfigSchema.prefault({}),
    variational: variationalMlpConfigSchema.prefault({}),
    samples: z.number().int().positive().default(100),
  }),
  needs: { datasets },
  outputs: modelOutputs,
  async run({ config, inputs, seed, record, progress }) {
    record('backend', (await initBackend()).name);
    const rows: PredictionRows[] = [];
    const methods: MethodSummary[] = [];
    const bar = progress('MLPs', MOONS.length * 3);
    let done = 0;
    for (const dataset of MOONS) {
      const data = stageData(inputs.datasets, inputs.datasets.grids, dataset);
      const parts = [
        ['grid', data.grid],
        ['train', data.x],
      ] as const;

      // The deterministic MLP is a point estimate (MAP: weight decay is its prior).
      const det = createMap({
        architecture: 'mlp',
        config: { ...config.deterministic, seed: deriveSeed(seed + config.deterministic.seed, `week2/mlps/${dataset}/deterministic`) },
        seed: deriveSeed(seed, `week2/mlps/${dataset}/deterministic-predict`),
      });
      let started = performance.now();
      await det.fit(data);
      recordTrainSeconds(record, 'Deterministic', dataset, started);
      methods.push({ method: 'Deterministic', dataset, finalLoss: last(det.losses!) });
      for (const [part, x] of parts) rows.push(rowsFromSummary({ method: 'Deterministic', dataset, part, x }, await det.predictive(x)));
      det.dispose();
      bar.tick(++done, `${dataset}: deterministic`);

      const vi = createVariational({
        architecture: 'mlp',
        config: { ...config.variational, seed: deriveSeed(seed + config.variational.seed, `week2/mlps/${dataset}/vi`) },
        samples: config.samples,
        seed: deriveSeed(seed, `week2/mlps/${dataset}/vi-samples`),
      });
      started = performance.now();
      await vi.fit(data);
      recordTrainSeconds(record, 'VI', dataset, started);
      methods.push({ method: 'VI', dataset, finalLoss: last(vi.losses!) });
      for (const [part, x] of parts) rows.push(rowsFromSummary({ method: 'VI', dataset, part, x }, await vi.predictive(x)));
      vi.dispose();
      bar.tick(++done, `${dataset}: VI`);

      started = performance.now();
      const mc = trainMcDropoutMlp(data.x, data.y, {
        ...config.mcDropout,
        seed: deriveSeed(seed + config.mcDropout.seed, `week2/mlps/${dataset}/mc-dropout`),
      });
      recordTrainSeconds(record, 'MC dropout', dataset, started);
      methods.push({ method: 'MC dropout', dataset, finalLoss: last(mc.losses) });
      // MC dropout wraps the trained network, which can sample (dropout kept on).
      const mcDropout = createBinaryMcDropout(binaryStochasticClassifier(mc.model), {
        passes: config.samples,
        seed: deriveSeed(seed, `week2/mlps/${dataset}/mc-dropout-passes`),
      });
      for (const [part, x] of parts) rows.push(rowsFromSummary({ method: 'MC dropout', dataset, part, x }, await mcDropout.predictive(x)));
      mc.model.dispose();
      bar.tick(++done, `${dataset}: MC dropout`);
    }
    bar.done();
    return { predictions: predictionsTable(rows), summary: { methods } };
  },
});
