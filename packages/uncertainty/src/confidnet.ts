import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradients; the tfjs-layers bundle registers them all in the
// global registry on import (as @rdl/models does). tf.grad / optimizer.minimize need them.
import '@tensorflow/tfjs-layers';
import { createRng, permutation } from '@rdl/core';
import { z } from 'zod';
import { rowCount } from './classification-scores.js';
import { makeScore, type Score } from '@rdl/core';
import {
  CONFIDNET_HIDDEN_SIZES,
  confidNetLayerSizes,
  confidNetLogit,
  confidNetTensors,
  initConfidNetWeights,
  readConfidNetWeights,
  type ConfidNetLayerTensors,
  type ConfidNetWeights,
} from './confidnet-weights.js';

export * from './confidnet-weights.js';

/**
 * ConfidNet: learn the true-class probability (TCP) from the frozen classifier's features.
 * Because the classifier is frozen, the branch trains on precomputed features (N×D) and TCP
 * targets (N); the caller decides which images these come from (train set as in the paper, a
 * held-out split, or a mix).
 */
export interface ConfidNetData {
  /** N×D features of the frozen classifier (D = 500 for LeNet's `hiddenFeatures`). */
  features: Float32Array;
  /** N targets: the classifier's softmax probability of the true class. */
  tcp: Float32Array;
}

/** TCP = p(y = true label | x) from N×C probabilities: ConfidNet's regression target. */
export function trueClassProbability(probs: Float32Array, labels: ArrayLike<number>, numClasses: number): Float32Array {
  const n = rowCount(probs, numClasses);
  if (labels.length !== n) throw new Error(`labels has length ${labels.length}, expected ${n} (one per row of probs)`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
      throw new Error(`labels[${i}] = ${y} is not a class index in [0, ${numClasses})`);
    }
    out[i] = probs[i * numClasses + y];
  }
  return out;
}

/** Concatenate two data sets (e.g. train + held-out) when the pipeline mixes them. */
export function concatConfidNetData(a: ConfidNetData, b: ConfidNetData): ConfidNetData {
  const features = new Float32Array(a.features.length + b.features.length);
  features.set(a.features);
  features.set(b.features, a.features.length);
  const tcp = new Float32Array(a.tcp.length + b.tcp.length);
  tcp.set(a.tcp);
  tcp.set(b.tcp, a.tcp.length);
  return { features, tcp };
}

export interface ConfidNetEpoch {
  /** 1-based. */
  epoch: number;
  /** Mean MSE(σ(z), TCP) over the epoch's mini-batches (weights changing during the epoch). */
  trainLoss: number;
  /** MSE on the validation set at the end of the epoch. */
  valLoss: number;
  /** `selectEpochBy(valScores)` at the end of the epoch, when given. */
  valCriterion?: number;
}

export interface TrainConfidNetOptions {
  /** Held-out data used only to pick the epoch (never the test set). */
  validation: ConfidNetData;
  /** Default 30. */
  epochs?: number;
  /** Default 128 (the paper's batch size). */
  batchSize?: number;
  /** Adam learning rate, default 1e-4 (the paper's value for the branch). */
  learningRate?: number;
  /** Seeds the initialisation and the per-epoch shuffles. Default 0. */
  seed?: number;
  /** Default [400, 400, 400, 400]. */
  hiddenSizes?: readonly number[];
  /**
   * Higher = better, computed by the caller from the validation confidences (e.g. AUPR-Error
   * against the classifier's validation errors, as in the paper). Without it the epoch with the
   * lowest validation MSE is kept.
   */
  selectEpochBy?: (valScores: Float32Array) => number;
  onProgress?: (entry: ConfidNetEpoch) => void | Promise<void>;
}

export interface TrainConfidNetResult {
  /** Weights at the best validation epoch. */
  weights: ConfidNetWeights;
  bestEpoch: number;
  history: ConfidNetEpoch[];
}

const optionsSchema = z.object({
  epochs: z.number().int('epochs must be an integer').positive('epochs must be > 0').default(30),
  batchSize: z.number().int('batchSize must be an integer').positive('batchSize must be > 0').default(128),
  learningRate: z.number().finite('learningRate must be finite').positive('learningRate must be > 0').default(1e-4),
  seed: z.number().int('seed must be an integer').default(0),
  hiddenSizes: z
    .array(z.number().int('hiddenSizes must hold integers').positive('hiddenSizes must hold positive sizes'))
    .default([...CONFIDNET_HIDDEN_SIZES]),
});

function parseOptions(options: TrainConfidNetOptions): z.infer<typeof optionsSchema> {
  const result = optionsSchema.safeParse({
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    seed: options.seed,
    hiddenSizes: options.hiddenSizes === undefined ? undefined : [...options.hiddenSizes],
  });
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`trainConfidNet: ${issue.path.join('.')}: ${issue.message}`);
  }
  return result.data;
}

/** Feature width D, checking the two arrays agree. */
function featureSize(data: ConfidNetData, field: string): number {
  const n = data.tcp.length;
  if (n === 0) throw new Error(`${field}.tcp is empty`);
  if (data.features.length % n !== 0) {
    throw new Error(`${field}.features has length ${data.features.length}, not a multiple of ${field}.tcp.length = ${n}`);
  }
  return data.features.length / n;
}

const PREDICT_BATCH = 1024;

function predictWith(layers: readonly ConfidNetLayerTensors[], features: Float32Array, size: number): Float32Array {
  const n = features.length / size;
  const out = new Float32Array(n);
  for (let start = 0; start < n; start += PREDICT_BATCH) {
    const end = Math.min(n, start + PREDICT_BATCH);
    const values = tf.tidy(() => {
      const x = tf.tensor2d(features.subarray(start * size, end * size), [end - start, size]);
      return tf.sigmoid(confidNetLogit(layers, x));
    });
    out.set(values.dataSync(), start);
    values.dispose();
  }
  return out;
}

function mse(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum / a.length;
}

/**
 * Train the branch with Adam on MSE(σ(z), TCP), evaluating on `validation` after every epoch and
 * returning the best epoch's weights. Deterministic for a given seed on a given backend.
 */
export async function trainConfidNet(train: ConfidNetData, options: TrainConfidNetOptions): Promise<TrainConfidNetResult> {
  if (options?.validation === undefined) throw new Error('trainConfidNet: validation (features, tcp) is required to pick the epoch');
  const { epochs, batchSize, learningRate, seed, hiddenSizes } = parseOptions(options);
  const size = featureSize(train, 'train');
  const valSize = featureSize(options.validation, 'validation');
  if (valSize !== size) throw new Error(`validation.features has ${valSize} features per row, train has ${size}`);

  const rng = createRng(seed);
  const layers = confidNetTensors(initConfidNetWeights(size, rng.fork().int(2 ** 31), hiddenSizes), true);
  const variables = layers.flatMap(({ kernel, bias }) => [kernel, bias]) as tf.Variable[];
  const optimizer = tf.train.adam(learningRate);
  const shuffleRng = rng.fork();
  const n = train.tcp.length;
  const xBuffer = new Float32Array(batchSize * size);
  const yBuffer = new Float32Array(batchSize);
  const history: ConfidNetEpoch[] = [];
  let best: { epoch: number; value: number; weights: ConfidNetWeights } | undefined;

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = permutation(n, shuffleRng);
      let lossSum = 0;
      for (let start = 0; start < n; start += batchSize) {
        const b = Math.min(batchSize, n - start);
        for (let j = 0; j < b; j++) {
          const row = order[start + j];
          xBuffer.set(train.features.subarray(row * size, (row + 1) * size), j * size);
          yBuffer[j] = train.tcp[row];
        }
        const loss = tf.tidy(() => {
          const x = tf.tensor2d(xBuffer.subarray(0, b * size), [b, size]);
          const y = tf.tensor1d(yBuffer.subarray(0, b));
          return optimizer.minimize(
            () => tf.mean(tf.square(tf.sub(tf.sigmoid(confidNetLogit(layers, x)), y))) as tf.Scalar,
            true,
            variables,
          ) as tf.Scalar;
        });
        lossSum += loss.dataSync()[0] * b;
        loss.dispose();
      }
      const valScores = predictWith(layers, options.validation.features, size);
      const entry: ConfidNetEpoch = { epoch, trainLoss: lossSum / n, valLoss: mse(valScores, options.validation.tcp) };
      if (options.selectEpochBy) entry.valCriterion = options.selectEpochBy(valScores);
      history.push(entry);
      // Higher is better for the criterion; lower for the MSE fallback. Ties keep the earlier epoch.
      const value = options.selectEpochBy ? (entry.valCriterion as number) : -entry.valLoss;
      if (!Number.isNaN(value) && (best === undefined || value > best.value)) {
        best = { epoch, value, weights: readConfidNetWeights(layers) };
      }
      await options.onProgress?.(entry);
    }
  } finally {
    optimizer.dispose();
    variables.forEach((v) => v.dispose());
  }
  if (best === undefined) throw new Error('trainConfidNet: the validation criterion was NaN at every epoch');
  return { weights: best.weights, bestEpoch: best.epoch, history };
}

/** σ(z) of the branch for N×D features: the predicted TCP, higher = more confident. */
export function confidNetScores(weights: ConfidNetWeights, features: Float32Array): Score<Float32Array> {
  const size = confidNetLayerSizes(weights)[0];
  if (features.length % size !== 0) {
    throw new Error(`features has length ${features.length}, not a multiple of the ${size} inputs of the weights`);
  }
  const layers = confidNetTensors(weights, false);
  try {
    return makeScore('confidnet', predictWith(layers, features, size), 'higher-is-more-confident');
  } finally {
    layers.forEach(({ kernel, bias }) => {
      kernel.dispose();
      bias.dispose();
    });
  }
}
