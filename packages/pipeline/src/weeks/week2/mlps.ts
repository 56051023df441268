import { initBackend, mcDropoutMlpConfigSchema, mlpConfigSchema, predictiveSamples, trainMcDropoutMlp, trainMlp, trainVariationalMlp, variationalMlpConfigSchema } from '@rdl/models';
import { z } from 'zod';
import { defineStage } from '../../core/stage.js';
import { datasets, type DatasetName } from './datasets.js';
import { last, modelOutputs, predictionsTable, rowsFromProbabilities, rowsFromSamples, stageData, type MethodSummary, type PredictionRows } from './predictions.js';
import { recordTrainSeconds } from './timings.js';

const MOONS: DatasetName[] = ['moons', 'noisyMoons'];

/** 2.1 deterministic MLP, 2.1 Bayesian MLP by VI, 2.2 MC-dropout MLP, on both moons sets. */
export const mlps = defineStage({
  name: 'mlps',
  description: '2.1 deterministic MLP 2→50→1 and Bayesian MLP by VI; 2.2 MC dropout p = 0.2 kept at test time; two moons, noise 0.05 and 0.3; 100 passes',
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
      const parts = [['grid', data.grid], ['train', data.x]] as const;

      let started = performance.now();
      const det = trainMlp(data.x, data.y, { ...config.deterministic, seed: seed + config.deterministic.seed });
      recordTrainSeconds(record, 'Deterministic', dataset, started);
      methods.push({ method: 'Deterministic', dataset, finalLoss: last(det.losses) });
      for (const [part, x] of parts) rows.push(rowsFromProbabilities({ method: 'Deterministic', dataset, part, x }, predictiveSamples(det.model, x, 1, seed)));
      det.model.dispose();
      bar.tick(++done, `${dataset}: deterministic`);

      started = performance.now();
      const vi = trainVariationalMlp(data.x, data.y, { ...config.variational, seed: seed + config.variational.seed });
      recordTrainSeconds(record, 'VI', dataset, started);
      methods.push({ method: 'VI', dataset, finalLoss: last(vi.losses) });
      for (const [part, x] of parts) rows.push(rowsFromSamples({ method: 'VI', dataset, part, x }, predictiveSamples(vi.model, x, config.samples, seed + 13), config.samples));
      vi.model.dispose();
      bar.tick(++done, `${dataset}: VI`);

      started = performance.now();
      const mc = trainMcDropoutMlp(data.x, data.y, { ...config.mcDropout, seed: seed + config.mcDropout.seed });
      recordTrainSeconds(record, 'MC dropout', dataset, started);
      methods.push({ method: 'MC dropout', dataset, finalLoss: last(mc.losses) });
      for (const [part, x] of parts) rows.push(rowsFromSamples({ method: 'MC dropout', dataset, part, x }, predictiveSamples(mc.model, x, config.samples, seed + 17), config.samples));
      mc.model.dispose();
      bar.tick(++done, `${dataset}: MC dropout`);
    }
    bar.done();
    return { predictions: predictionsTable(rows), summary: { methods } };
  },
});
