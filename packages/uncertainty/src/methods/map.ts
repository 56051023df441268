import {
  fitLogisticMapNewton,
  predictiveSamples,
  predictLogistic,
  trainLogisticMap,
  trainMlp,
  type BinaryMlp,
  type LogisticMapConfigInput,
  type MlpConfigInput,
} from '@rdl/models';
import type { HyperSpace } from '../method.js';
import { binaryMethod, extend, fitted, type BinaryData, type BinaryMethod, type BinaryStatistic } from './binary.js';

export type MapParams = { learningRate: number; weightDecay: number; epochs: number };

export const MAP_SPACE: HyperSpace<MapParams> = { learningRate: [0.01, 0.1], weightDecay: [5e-3, 5e-2], epochs: [20, 200, 2000] };

export type MapOptions =
  | {
      architecture: 'logistic';
      config?: LogisticMapConfigInput;
      statistic?: BinaryStatistic;
      /**
       * 'sgd' (default): the course's optimiser for `epochs` epochs. 'newton': the same loss run
       * to its minimum (‖∇L‖ < 1e-10); learningRate, momentum and epochs then do not apply.
       */
      solver?: 'sgd' | 'newton';
    }
  | { architecture: 'mlp'; config?: MlpConfigInput; statistic?: BinaryStatistic; seed?: number };

export interface MapMethod extends BinaryMethod<MapParams> {
  fit(data: BinaryData, params?: Partial<MapParams>): Promise<void>;
  /** Logistic regression: θ = (w1, w2, b) of the last fit. */
  readonly weights: Float64Array | undefined;
  /** MLP: the trained network of the last fit (the caller disposes it, or calls `dispose`). */
  readonly model: BinaryMlp | undefined;
  /** Training losses of the last fit. */
  readonly losses: Float64Array | undefined;
  dispose(): void;
}

/**
 * A point estimate (MAP: weight decay is a Gaussian prior) of the week-2 logistic regression or
 * MLP. Its predictive is one sample, so its entropy is all aleatoric and its mutual information 0.
 */
export function createMap(options: MapOptions): MapMethod {
  const base =
    options.architecture === 'logistic'
      ? { learningRate: 0.1, weightDecay: 5e-2, epochs: 20 }
      : { learningRate: 0.1, weightDecay: 5e-2, epochs: 1000 };
  const defaults: MapParams = { ...base, ...pick(options.config) };
  let weights: Float64Array | undefined;
  let model: BinaryMlp | undefined;
  let losses: Float64Array | undefined;
  const name = 'map';
  const method = binaryMethod<MapParams, BinaryData>({
    name,
    space: MAP_SPACE,
    defaults,
    statistic: options.statistic,
    fit({ x, y }, params) {
      if (options.architecture === 'logistic' && options.solver === 'newton') {
        const r = fitLogisticMapNewton(x, y, { weightDecay: params.weightDecay, regularizeBias: options.config?.regularizeBias });
        weights = r.weights;
        losses = r.losses;
      } else if (options.architecture === 'logistic') {
        const r = trainLogisticMap(x, y, { ...options.config, ...params });
        weights = r.weights;
        losses = r.losses;
      } else {
        model?.dispose();
        const r = trainMlp(x, y, { ...options.config, ...params });
        model = r.model;
        losses = r.losses;
      }
    },
    sample(x) {
      if (options.architecture === 'logistic') return { samples: predictLogistic(fitted(weights, name), x), passes: 1 };
      return { samples: predictiveSamples(fitted(model, name), x, 1, options.seed ?? 0), passes: 1 };
    },
  });
  return extend(method as typeof method & { fit: NonNullable<typeof method.fit> }, {
    get weights() {
      return weights;
    },
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

function pick(config: { learningRate?: number; weightDecay?: number; epochs?: number } | undefined): Partial<MapParams> {
  const out: Partial<MapParams> = {};
  if (config?.learningRate !== undefined) out.learningRate = config.learningRate;
  if (config?.weightDecay !== undefined) out.weightDecay = config.weightDecay;
  if (config?.epochs !== undefined) out.epochs = config.epochs;
  return out;
}
