import { argmaxRows, type Score } from '@rdl/core';
import {
  confidNetScores,
  trainConfidNet,
  trueClassProbability,
  type ConfidNetTrainSource,
  type ConfidNetValidation,
  type ConfidNetWeights,
  type TrainConfidNetOptions,
  type TrainConfidNetResult,
} from '../confidnet.js';
import { withDefaults, type HyperSpace, type UncertaintyMethod } from '../method.js';

export type ConfidNetParams = { epochs: number; learningRate: number; batchSize: number };

export const CONFIDNET_SPACE: HyperSpace<ConfidNetParams> = { epochs: [10, 30], learningRate: [1e-4, 3e-4, 1e-3], batchSize: [128] };

/**
 * What ConfidNet learns from (fixed features and TCP targets, or LeNet's trunk through its frozen
 * head with dropout active), and held-out data (deterministic features, TCP, errors) to pick the epoch.
 */
export interface ConfidNetFitData {
  train: ConfidNetTrainSource;
  validation: ConfidNetValidation;
}

/**
 * ConfidNet's rows from the frozen classifier's deterministic outputs on labelled images: features,
 * TCP, where it misclassifies (`errors`, 1 = wrong), how often, and the mean TCP (for reports).
 */
export function confidNetData(input: {
  features: Float32Array;
  probs: Float32Array;
  labels: ArrayLike<number>;
  numClasses: number;
}): ConfidNetValidation & { errorCount: number; meanTcp: number } {
  const tcp = trueClassProbability(input.probs, input.labels, input.numClasses);
  const predicted = argmaxRows(input.probs, input.numClasses);
  const errors = new Uint8Array(predicted.length);
  let errorCount = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] !== input.labels[i]) errorCount += errors[i] = 1;
  let sum = 0;
  for (let i = 0; i < tcp.length; i++) sum += tcp[i]!;
  return { features: input.features, tcp, errors, errorCount, meanTcp: sum / tcp.length };
}

export interface ConfidNetMethodOptions {
  /** Seeds the initialisation and the shuffles. Default 0. */
  seed?: number;
  hiddenSizes?: readonly number[];
  /** Trained weights to score with (e.g. read back from a checkpoint) instead of fitting. */
  weights?: ConfidNetWeights;
  /** Default: the paper's values, 30 epochs, lr 1e-4, batch 128. */
  defaults?: Partial<ConfidNetParams>;
  /** Validation criterion of the epoch: 'aupr-error' (default, the authors') or 'mse'. */
  selectBy?: TrainConfidNetOptions['selectBy'];
  /** Early stopping after this many epochs without improvement; absent = train `epochs`. */
  patience?: number;
  threads?: number;
  onProgress?: TrainConfidNetOptions['onProgress'];
}

export interface ConfidNetMethod extends UncertaintyMethod<Float32Array, ConfidNetParams, ConfidNetFitData> {
  fit(data: ConfidNetFitData, params?: Partial<ConfidNetParams>): Promise<void>;
  /** The weights `score` uses: given, or from the best validation epoch of the last fit. */
  readonly weights: ConfidNetWeights | undefined;
  /** The last fit's chosen epoch, why it stopped, and the per-epoch validation curve (undefined before a fit). */
  readonly training: Omit<TrainConfidNetResult, 'weights'> | undefined;
}

/**
 * ConfidNet (Corbière et al. 2019): an MLP on the frozen classifier's features trained to predict
 * the true-class probability, the epoch chosen on validation AUPR-Error. `score` takes the
 * deterministic N×D features and gives σ(z), the predicted TCP. Higher = more confident.
 */
export function createConfidNet(options: ConfidNetMethodOptions = {}): ConfidNetMethod {
  const defaults: ConfidNetParams = { epochs: 30, learningRate: 1e-4, batchSize: 128, ...options.defaults };
  let weights = options.weights;
  let training: ConfidNetMethod['training'];
  return {
    name: 'confidnet',
    space: CONFIDNET_SPACE,
    defaults,
    get weights() {
      return weights;
    },
    get training() {
      return training;
    },
    async fit(data, params) {
      const p = withDefaults(defaults, params);
      const result = await trainConfidNet(data.train, {
        validation: data.validation,
        epochs: p.epochs,
        learningRate: p.learningRate,
        batchSize: p.batchSize,
        seed: options.seed ?? 0,
        hiddenSizes: options.hiddenSizes,
        selectBy: options.selectBy,
        patience: options.patience,
        threads: options.threads,
        onProgress: options.onProgress,
      });
      weights = result.weights;
      training = { bestEpoch: result.bestEpoch, stopped: result.stopped, history: result.history };
    },
    async score(features): Promise<Score<Float32Array>> {
      if (weights === undefined) throw new Error('confidnet: fit it (or give trained weights) before scoring');
      return confidNetScores(weights, features);
    },
  };
}
