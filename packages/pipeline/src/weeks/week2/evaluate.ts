import { accuracy, nearFarClaims, nearFarClaimSchema, nearFarRatio, type ClaimPair } from '@rdl/eval';
import { classificationFromTable } from '@rdl/data';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { datasets, type DatasetName } from './datasets.js';
import { CONVERGED_LAPLACE, CONVERGED_MAP, logistic } from './logistic.js';
import { mlps } from './mlps.js';
import { viLogistic } from './vi-logistic.js';
import { selectRows } from './predictions.js';

export const methodMetricsSchema = z.object({
  method: z.string(),
  dataset: z.string(),
  accuracy: z.number(),
  entropyNear: z.number(),
  entropyFar: z.number(),
  /**
   * Mean entropy far from every training point / mean entropy on the training points. Informative
   * only, not the yardstick: a point estimate's near-zero entropy on its own training points makes
   * it large for the wrong reason (SPEC, "Near vs far"); the claims are judged in `claims`.
   */
  entropyFarNearRatio: z.number().nullable(),
  miNear: z.number(),
  miFar: z.number(),
  /** The same for the mutual information (epistemic part); null where it is 0 everywhere (point estimates). */
  miFarNearRatio: z.number().nullable(),
  farPoints: z.number().int(),
});
export type MethodMetrics = z.infer<typeof methodMetricsSchema>;

/**
 * The SPEC's pairs: each Bayesian method against its point-estimate baseline, fitted on the same
 * data. Laplace is judged at the course's MAP (SPEC 1.2) and, beside it, at the converged MAP.
 */
export const CLAIM_PAIRS: readonly ClaimPair[] = [
  { method: 'Laplace', baseline: 'MAP', dataset: 'blobs' },
  { method: CONVERGED_LAPLACE, baseline: CONVERGED_MAP, dataset: 'blobs' },
  { method: 'VI', baseline: 'MAP', dataset: 'blobs' },
  ...(['moons', 'noisyMoons'] as const).flatMap((dataset) => [
    { method: 'VI', baseline: 'Deterministic', dataset },
    { method: 'MC dropout', baseline: 'Deterministic', dataset },
  ]),
];

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Accuracy on the training points and the near/far uncertainty numbers of every method. */
export const evaluate = defineStage({
  name: 'evaluate',
  description: 'Week 2 numbers: accuracy and near-vs-far entropy and mutual information per method; the claims judged per pair',
  module: import.meta.url,
  config: z.object({
    /** A grid point is "far" when it is farther than this from every training point. */
    farDistance: z.object({ blobs: z.number().positive().default(2.5), moons: z.number().positive().default(1.5) }).prefault({}),
  }),
  needs: { datasets, logistic, viLogistic, mlps },
  outputs: {
    /** One row per (method, data set). */
    metrics: artifact.json(z.array(methodMetricsSchema)),
    /** Two claims per pair of CLAIM_PAIRS, flat: the far entropy against the baseline, and MI far vs near. */
    claims: artifact.json(z.array(nearFarClaimSchema)),
  },
  async run({ config, inputs }) {
    const metrics: MethodMetrics[] = [];
    const stages = [inputs.logistic, inputs.viLogistic, inputs.mlps];
    for (const stage of stages) {
      for (const summary of stage.summary.methods) {
        const dataset = summary.dataset as DatasetName;
        const truth = classificationFromTable(inputs.datasets[dataset]);
        const grid = selectRows(stage.predictions, summary.method, dataset, 'grid');
        const train = selectRows(stage.predictions, summary.method, dataset, 'train');
        const predicted = Uint8Array.from(train.p, (p) => (p >= 0.5 ? 1 : 0));
        const farDistance = dataset === 'blobs' ? config.farDistance.blobs : config.farDistance.moons;
        const entropy = nearFarRatio({
          gridPoints: grid.x,
          gridValues: grid.entropy,
          trainPoints: train.x,
          trainValues: train.entropy,
          farDistance,
        });
        const mi = nearFarRatio({
          gridPoints: grid.x,
          gridValues: grid.mutualInformation,
          trainPoints: train.x,
          trainValues: train.mutualInformation,
          farDistance,
        });
        metrics.push({
          method: summary.method,
          dataset,
          accuracy: accuracy(predicted, truth.y),
          entropyNear: entropy.near,
          entropyFar: entropy.far,
          entropyFarNearRatio: finiteOrNull(entropy.ratio),
          miNear: mi.near,
          miFar: mi.far,
          miFarNearRatio: mi.far === 0 && mi.near === 0 ? null : finiteOrNull(mi.ratio),
          farPoints: entropy.farCount,
        });
      }
    }
    return { metrics, claims: nearFarClaims(CLAIM_PAIRS, metrics) };
  },
});
