import { deriveSeed } from '@rdl/core';
import { logisticLoss, logisticLossGradient, logisticMapConfigSchema } from '@rdl/models';
import { createLaplace, createMap } from '@rdl/uncertainty';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { datasets } from './datasets.js';
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

/**
 * Is the MAP a minimum? Laplace expands the log posterior around a mode; the SPEC's 20 epochs of
 * SGD stop before it. So the stage also fits the converged MAP (Newton on the same convex loss,
 * until ‖∇L‖ < 1e-10) and Laplace around it, reported beside the course's (which stays the SPEC's row).
 */
const mapCheckSchema = z.object({
  loss: z.number(),
  gradientNorm: z.number(),
  convergedCriterion: z.string(),
  convergedIterations: z.number().int(),
  convergedLoss: z.number(),
  convergedGradientNorm: z.number(),
  convergedWeights: z.array(z.number()),
});
export type MapCheck = z.infer<typeof mapCheckSchema>;

/** Method names of the converged pair, as they appear in predictions, metrics and claims. */
export const CONVERGED_MAP = 'MAP (converged)';
export const CONVERGED_LAPLACE = 'Laplace (converged MAP)';

/** 1.1 MAP logistic regression and 1.2 its Laplace approximation (sampled and probit predictive). */
export const logistic = defineStage({
  name: 'logistic',
  description:
    '1.1 MAP logistic regression (SGD, momentum 0.9, weight decay 5e-2, 20 epochs) and 1.2 Laplace: Σ = (H + 1e-4 I)⁻¹, 400 samples and probit',
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
    ...modelOutputs,
    weights: artifact.json(
      z.object({
        map: z.array(z.number()),
        laplaceMean: z.array(z.number()),
        laplaceCovariance: z.array(z.number()),
        convergedLaplaceCovariance: z.array(z.number()),
        mapCheck: mapCheckSchema,
      }),
    ),
  },
  async run({ config, inputs, seed, record }) {
    const data = stageData(inputs.datasets, inputs.datasets.grids, 'blobs');
    const map = createMap({
      architecture: 'logistic',
      config: { ...config.map, seed: deriveSeed(seed + config.map.seed, 'week2/logistic/map') },
    });
    const started = performance.now();
    await map.fit(data);
    recordTrainSeconds(record, 'MAP', 'blobs', started);
    const mapWeights = map.weights!;
    const lossOpts = { weightDecay: config.map.weightDecay, regularizeBias: config.map.regularizeBias, reduction: 'mean' as const };
    const norm = (g: ArrayLike<number>): number => Math.hypot(...Array.from(g));
    const converged = createMap({ architecture: 'logistic', config: config.map, solver: 'newton' });
    const t0 = performance.now();
    await converged.fit(data);
    recordTrainSeconds(record, CONVERGED_MAP, 'blobs', t0);
    const convergedWeights = converged.weights!;
    const mapCheck: MapCheck = {
      loss: logisticLoss(mapWeights, data.x, data.y, lossOpts),
      gradientNorm: norm(logisticLossGradient(mapWeights, data.x, data.y, lossOpts)),
      convergedCriterion:
        "Newton's method with backtracking on the same regularised loss, until ‖∇L‖₂ < 1e-10 (full Newton steps once the predicted decrease is below the loss's float64 resolution)",
      convergedIterations: converged.losses!.length - 1,
      convergedLoss: logisticLoss(convergedWeights, data.x, data.y, lossOpts),
      convergedGradientNorm: norm(logisticLossGradient(convergedWeights, data.x, data.y, lossOpts)),
      convergedWeights: [...convergedWeights],
    };
    // Both Laplace fits draw the same standard-normal numbers, so their difference is the MAP's alone.
    const newLaplace = () =>
      createLaplace({
        weightDecay: config.map.weightDecay,
        regularizeBias: config.map.regularizeBias,
        objective: config.laplace.objective,
        samples: config.laplace.samples,
        seed: deriveSeed(seed, 'week2/logistic/laplace-samples'),
        defaults: { damping: config.laplace.damping },
      });
    const laplace = newLaplace();
    const t1 = performance.now();
    await laplace.fit({ ...data, mapWeights });
    // Both Laplace predictives share the fit.
    recordTrainSeconds(record, 'Laplace', 'blobs', t1);
    recordTrainSeconds(record, 'Laplace (probit)', 'blobs', t1);
    const posterior = laplace.posterior!;
    const convergedLaplace = newLaplace();
    const t2 = performance.now();
    await convergedLaplace.fit({ ...data, mapWeights: convergedWeights });
    recordTrainSeconds(record, CONVERGED_LAPLACE, 'blobs', t2);
    const rows: PredictionRows[] = [];
    for (const [part, x] of [
      ['grid', data.grid],
      ['train', data.x],
    ] as const) {
      const base = { dataset: 'blobs' as const, part, x };
      rows.push(rowsFromSummary({ ...base, method: 'MAP' }, await map.predictive(x)));
      rows.push(rowsFromSummary({ ...base, method: 'Laplace' }, await laplace.predictive(x, { predictive: 'samples' })));
      rows.push(rowsFromSummary({ ...base, method: 'Laplace (probit)' }, await laplace.predictive(x, { predictive: 'probit' })));
      rows.push(rowsFromSummary({ ...base, method: CONVERGED_MAP }, await converged.predictive(x)));
      rows.push(rowsFromSummary({ ...base, method: CONVERGED_LAPLACE }, await convergedLaplace.predictive(x, { predictive: 'samples' })));
    }
    const methods: MethodSummary[] = [
      { method: 'MAP', dataset: 'blobs', finalLoss: last(map.losses!) },
      { method: 'Laplace', dataset: 'blobs', finalLoss: null, notes: `${config.laplace.samples} weight samples` },
      { method: 'Laplace (probit)', dataset: 'blobs', finalLoss: null, notes: 'σ(μₐ / √(1 + πσₐ²/8))' },
      { method: CONVERGED_MAP, dataset: 'blobs', finalLoss: last(converged.losses!), notes: mapCheck.convergedCriterion },
      {
        method: CONVERGED_LAPLACE,
        dataset: 'blobs',
        finalLoss: null,
        notes: `${config.laplace.samples} weight samples around the converged MAP`,
      },
    ];
    return {
      predictions: predictionsTable(rows),
      summary: { methods },
      weights: {
        map: [...mapWeights],
        laplaceMean: [...posterior.mean],
        laplaceCovariance: [...posterior.covariance],
        convergedLaplaceCovariance: [...convergedLaplace.posterior!.covariance],
        mapCheck,
      },
    };
  },
});
