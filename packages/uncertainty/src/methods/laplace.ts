import type { HyperSpace } from '../method.js';
import { laplaceFit, laplacePredict, type LaplacePosterior } from '../laplace.js';
import { binaryMethod, extend, fitted, type BinaryData, type BinaryMethod, type BinaryStatistic } from './binary.js';

export type LaplaceParams = { damping: number; predictive: 'samples' | 'probit' };

export const LAPLACE_SPACE: HyperSpace<LaplaceParams> = { damping: [1e-4, 1e-3, 1e-2, 1e-1], predictive: ['samples', 'probit'] };

/** Laplace fits around a MAP: the data and the MAP weights θ = (w1, w2, b). */
export interface LaplaceFitData extends BinaryData {
  mapWeights: ArrayLike<number>;
}

export interface LaplaceOptions {
  /** The MAP's training objective, which the Hessian must match. */
  weightDecay?: number;
  regularizeBias?: boolean;
  objective?: 'sum' | 'mean';
  /** Posterior weight draws for the 'samples' predictive (course: 400). */
  samples?: number;
  /** Seeds the draws. Default 0. */
  seed?: number;
  defaults?: Partial<LaplaceParams>;
  statistic?: BinaryStatistic;
}

export interface LaplaceMethod extends BinaryMethod<LaplaceParams, LaplaceFitData> {
  fit(data: LaplaceFitData, params?: Partial<LaplaceParams>): Promise<void>;
  /** N(θ_MAP, Σ) of the last fit. */
  readonly posterior: LaplacePosterior | undefined;
}

/**
 * The Laplace approximation of the week-2 logistic regression's posterior around its MAP,
 * Σ = (H + damping·I)⁻¹, predicting by posterior samples or by the probit approximation.
 */
export function createLaplace(options: LaplaceOptions = {}): LaplaceMethod {
  const defaults: LaplaceParams = { damping: 1e-4, predictive: 'samples', ...options.defaults };
  const samples = options.samples ?? 400;
  let posterior: LaplacePosterior | undefined;
  const method = binaryMethod<LaplaceParams, LaplaceFitData>({
    name: 'laplace',
    space: LAPLACE_SPACE,
    defaults,
    statistic: options.statistic,
    fit({ x, y, mapWeights }, { damping }) {
      posterior = laplaceFit(mapWeights, x, y, {
        weightDecay: options.weightDecay,
        regularizeBias: options.regularizeBias,
        objective: options.objective,
        damping,
      });
    },
    sample(x, { predictive }) {
      const post = fitted(posterior, 'laplace');
      if (predictive === 'probit') return { samples: laplacePredict(post, x, { method: 'probit' }).mean, passes: 1 };
      return { samples: laplacePredict(post, x, { method: 'samples', samples, seed: options.seed ?? 0 }).samples!, passes: samples };
    },
  });
  return extend(method as typeof method & { fit: NonNullable<typeof method.fit> }, {
    get posterior() {
      return posterior;
    },
  });
}
