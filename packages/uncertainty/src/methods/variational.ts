import type { Sequential } from '@tensorflow/tfjs-layers';
import {
  predictiveSamples,
  trainVariationalLogistic,
  trainVariationalMlp,
  type VariationalLogisticConfigInput,
  type VariationalMlpConfigInput,
} from '@rdl/models';
import type { HyperSpace } from '../method.js';
import { binaryMethod, extend, fitted, type BinaryData, type BinaryMethod, type BinaryStatistic } from './binary.js';

export type VariationalParams = { learningRate: number; epochs: number };

export const VARIATIONAL_SPACE: HyperSpace<VariationalParams> = { learningRate: [0.01, 0.1], epochs: [30, 300, 1000] };

export type VariationalOptions = (
  { architecture: 'logistic'; config?: VariationalLogisticConfigInput } | { architecture: 'mlp'; config?: VariationalMlpConfigInput }
) & {
  /** Weight draws at prediction (course: 100). */
  samples?: number;
  /** Seeds the prediction draws. Default 0. */
  seed?: number;
  statistic?: BinaryStatistic;
};

export interface VariationalMethod extends BinaryMethod<VariationalParams> {
  fit(data: BinaryData, params?: Partial<VariationalParams>): Promise<void>;
  /** The trained network of the last fit (`LinearVariational` layers). */
  readonly model: Sequential | undefined;
  /** Negative ELBO per epoch of the last fit. */
  readonly losses: ArrayLike<number> | undefined;
  dispose(): void;
}

/**
 * Variational inference (mean-field Gaussian weights, `LinearVariational` layers) for the week-2
 * logistic regression or MLP; the predictive draws one weight sample per pass for all points.
 */
export function createVariational(options: VariationalOptions): VariationalMethod {
  const defaults: VariationalParams = {
    learningRate: options.config?.learningRate ?? 0.1,
    epochs: options.config?.epochs ?? (options.architecture === 'logistic' ? 30 : 1000),
  };
  const samples = options.samples ?? 100;
  let model: Sequential | undefined;
  let losses: ArrayLike<number> | undefined;
  const method = binaryMethod<VariationalParams, BinaryData>({
    name: 'vi',
    space: VARIATIONAL_SPACE,
    defaults,
    statistic: options.statistic,
    fit({ x, y }, params) {
      model?.dispose();
      const trained =
        options.architecture === 'logistic'
          ? trainVariationalLogistic(x, y, { ...options.config, ...params })
          : trainVariationalMlp(x, y, { ...options.config, ...params });
      model = trained.model;
      losses = trained.losses;
    },
    sample(x) {
      return { samples: predictiveSamples(fitted(model, 'vi'), x, samples, options.seed ?? 0), passes: samples };
    },
  });
  return extend(method as typeof method & { fit: NonNullable<typeof method.fit> }, {
    get model() {
      return model;
    },
    get losses() {
      return losses;
    },
    dispose() {
      model?.dispose();
      model = undefined;
    },
  });
}
