import { logisticLoss, logisticLossGradient, logisticMapConfigSchema, mcDropoutMlpConfigSchema, mlpConfigSchema, trainMcDropoutMlp, variationalLogisticConfigSchema, variationalMlpConfigSchema } from '@rdl/models';
import { initBackend } from '@rdl/runtime';
import { binaryStochasticClassifier, createBinaryMcDropout, createLaplace, createMap, createVariational } from '@rdl/uncertainty';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { datasets, type DatasetName } from './datasets.js';
import { methodSummarySchema, predictionsTable, rowsFromSummary, stageData, type MethodSummary, type PredictionRows } from './predictions.js';

const outputs = {
  predictions: artifact.table(),
  summary: artifact.json(z.object({ methods: z.array(methodSummarySchema) })),
};

const seconds = (since: number): number => Number(((performance.now() - since) / 1000).toFixed(3));
const last = (values: ArrayLike<number>): number | null => (values.length ? values[values.length - 1]! : null);

/**
 * Is the MAP a minimum? Laplace expands the log posterior around a stationary point; the SPEC's
 * fixed epoch count may stop before one, so the stage reports the gradient there and what the same
 * optimiser reaches when run to convergence (for the report only; the SPEC's MAP is kept).
 */
const mapCheckSchema = z.object({
  loss: z.number(),
  gradientNorm: z.number(),
  convergedEpochs: z.number().int(),
  convergedLoss: z.number(),
  convergedGradientNorm: z.number(),
  convergedWeights: z.array(z.number()),
});
const CONVERGED_EPOCHS = 2000;

/** 1.1 MAP logistic regression and 1.2 its Laplace approximation (sampled and probit predictive). */
export const logistic = defineStage({
  name: 'logistic',
  description: '1.1 MAP logistic regression (SGD, momentum 0.9, weight decay 5e-2, 20 epochs) and 1.2 Laplace: Σ = (H + 1e-4 I)⁻¹, 400 samples and probit',
  module: import.meta.url,
  config: z.object({
    map: logisticMapConfigSchema.prefault({}),
    laplace: z
      .object({
        damping: z.number().positive().default(1e-4),
        samples: z.number().int().positive().default(400),
        objective: z.enum(['sum', 'mean']).default('sum'),
      })
      .prefault({}),
  }),
  needs: { datasets },
  outputs: {
    ...outputs,
    weights: artifact.json(
      z.object({
        map: z.array(z.number()),
        laplaceMean: z.array(z.number()),
        laplaceCovariance: z.array(z.number()),
        mapCheck: mapCheckSchema,
      }),
    ),
  },
  async run({ config, inputs, seed }) {
    const data = stageData(inputs.datasets, inputs.datasets.grids, 'blobs');
    const map = createMap({ architecture: 'logistic', config: { ...config.map, seed: seed + config.map.seed } });
    const started = performance.now();
    await map.fit(data);
    const mapSeconds = seconds(started);
    const mapWeights = map.weights!;
    const lossOpts = { weightDecay: config.map.weightDecay, regularizeBias: config.map.regularizeBias, reduction: 'mean' as const };
    const norm = (g: ArrayLike<number>): number => Math.hypot(...Array.from(g));
    const converged = createMap({ architecture: 'logistic', config: { ...config.map, seed: seed + config.map.seed } });
    await converged.fit(data, { epochs: CONVERGED_EPOCHS });
    const mapCheck = {
      loss: logisticLoss(mapWeights, data.x, data.y, lossOpts),
      gradientNorm: norm(logisticLossGradient(mapWeights, data.x, data.y, lossOpts)),
      convergedEpochs: CONVERGED_EPOCHS,
      convergedLoss: logisticLoss(converged.weights!, data.x, data.y, lossOpts),
      convergedGradientNorm: norm(logisticLossGradient(converged.weights!, data.x, data.y, lossOpts)),
      convergedWeights: [...converged.weights!],
    };
    const laplace = createLaplace({
      weightDecay: config.map.weightDecay,
      regularizeBias: config.map.regularizeBias,
      objective: config.laplace.objective,
      samples: config.laplace.samples,
      seed: seed + 7,
      defaults: { damping: config.laplace.damping },
    });
    const t1 = performance.now();
    await laplace.fit({ ...data, mapWeights });
    const laplaceSeconds = seconds(t1);
    const posterior = laplace.posterior!;
    const rows: PredictionRows[] = [];
    for (const [part, x] of [['grid', data.grid], ['train', data.x]] as const) {
      const base = { dataset: 'blobs' as const, part, x };
      rows.push(rowsFromSummary({ ...base, method: 'MAP' }, await map.predictive(x)));
      rows.push(rowsFromSummary({ ...base, method: 'Laplace' }, await laplace.predictive(x, { predictive: 'samples' })));
      rows.push(rowsFromSummary({ ...base, method: 'Laplace (probit)' }, await laplace.predictive(x, { predictive: 'probit' })));
    }
    const methods: MethodSummary[] = [
      { method: 'MAP', dataset: 'blobs', trainSeconds: mapSeconds, finalLoss: last(map.losses!) },
      { method: 'Laplace', dataset: 'blobs', trainSeconds: laplaceSeconds, finalLoss: null, notes: `${config.laplace.samples} weight samples` },
      { method: 'Laplace (probit)', dataset: 'blobs', trainSeconds: laplaceSeconds, finalLoss: null, notes: 'σ(μₐ / √(1 + πσₐ²/8))' },
    ];
    return {
      predictions: predictionsTable(rows),
      summary: { methods },
      weights: { map: [...mapWeights], laplaceMean: [...posterior.mean], laplaceCovariance: [...posterior.covariance], mapCheck },
    };
  },
});

/** 1.3 variational logistic regression on the blobs. */
export const viLogistic = defineStage({
  name: 'vi-logistic',
  description: '1.3 variational logistic regression (LinearVariational, μ init 0, ρ init 1, prior N(0, 1), Adam lr 0.1, 30 epochs)',
  module: import.meta.url,
  config: z.object({ model: variationalLogisticConfigSchema.prefault({}), samples: z.number().int().positive().default(100) }),
  needs: { datasets },
  outputs,
  async run({ config, inputs, seed, record }) {
    record('backend', (await initBackend()).name);
    const data = stageData(inputs.datasets, inputs.datasets.grids, 'blobs');
    const vi = createVariational({ architecture: 'logistic', config: { ...config.model, seed: seed + config.model.seed }, samples: config.samples, seed: seed + 11 });
    const started = performance.now();
    await vi.fit(data);
    const trainSeconds = seconds(started);
    const rows: PredictionRows[] = [];
    for (const [part, x] of [['grid', data.grid], ['train', data.x]] as const) rows.push(rowsFromSummary({ method: 'VI', dataset: 'blobs', part, x }, await vi.predictive(x)));
    const finalLoss = last(vi.losses!);
    vi.dispose();
    return { predictions: predictionsTable(rows), summary: { methods: [{ method: 'VI', dataset: 'blobs', trainSeconds, finalLoss }] } };
  },
});

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
  outputs,
  async run({ config, inputs, seed, record, progress }) {
    record('backend', (await initBackend()).name);
    const rows: PredictionRows[] = [];
    const methods: MethodSummary[] = [];
    const bar = progress('MLPs', MOONS.length * 3);
    let done = 0;
    for (const dataset of MOONS) {
      const data = stageData(inputs.datasets, inputs.datasets.grids, dataset);
      const parts = [['grid', data.grid], ['train', data.x]] as const;

      // The deterministic MLP is a point estimate (MAP: weight decay is its prior).
      const det = createMap({ architecture: 'mlp', config: { ...config.deterministic, seed: seed + config.deterministic.seed }, seed });
      let started = performance.now();
      await det.fit(data);
      methods.push({ method: 'Deterministic', dataset, trainSeconds: seconds(started), finalLoss: last(det.losses!) });
      for (const [part, x] of parts) rows.push(rowsFromSummary({ method: 'Deterministic', dataset, part, x }, await det.predictive(x)));
      det.dispose();
      bar.tick(++done, `${dataset}: deterministic`);

      const vi = createVariational({ architecture: 'mlp', config: { ...config.variational, seed: seed + config.variational.seed }, samples: config.samples, seed: seed + 13 });
      started = performance.now();
      await vi.fit(data);
      methods.push({ method: 'VI', dataset, trainSeconds: seconds(started), finalLoss: last(vi.losses!) });
      for (const [part, x] of parts) rows.push(rowsFromSummary({ method: 'VI', dataset, part, x }, await vi.predictive(x)));
      vi.dispose();
      bar.tick(++done, `${dataset}: VI`);

      started = performance.now();
      const mc = trainMcDropoutMlp(data.x, data.y, { ...config.mcDropout, seed: seed + config.mcDropout.seed });
      methods.push({ method: 'MC dropout', dataset, trainSeconds: seconds(started), finalLoss: last(mc.losses) });
      // MC dropout wraps the trained network, which can sample (dropout kept on).
      const mcDropout = createBinaryMcDropout(binaryStochasticClassifier(mc.model), { passes: config.samples, seed: seed + 17 });
      for (const [part, x] of parts) rows.push(rowsFromSummary({ method: 'MC dropout', dataset, part, x }, await mcDropout.predictive(x)));
      mc.model.dispose();
      bar.tick(++done, `${dataset}: MC dropout`);
    }
    bar.done();
    return { predictions: predictionsTable(rows), summary: { methods } };
  },
});
