import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradients; the tfjs-layers bundle registers them all in the
// global registry on import (as @rdl/models does). tf.grad / optimizer.minimize need them.
import '@tensorflow/tfjs-layers';
import { createRng, makeScore, parseOptions, type Score } from '@rdl/core';
import { branchSourceShape, createBranchTrainer, fitAsync, type BranchSource } from '@rdl/models';
import { z } from 'zod';
import { rowCount } from './classification-scores.js';
import { auprError, bestEpochIndex, shouldStop } from './confidnet-selection.js';
import {
  CONFIDNET_HIDDEN_SIZES,
  confidNetLayerSizes,
  confidNetLogit,
  confidNetTensors,
  flatConfidNetWeights,
  initConfidNetWeights,
  namedConfidNetWeights,
  type ConfidNetLayerTensors,
  type ConfidNetWeights,
} from './confidnet-weights.js';

export * from './confidnet-weights.js';
export * from './confidnet-selection.js';
export type { BranchSource } from '@rdl/models';

/**
 * ConfidNet: learn the true-class probability (TCP) of a frozen classifier. The branch learns
 * either from fixed rows (features N×D and TCP targets N, a deterministic pass) or, as its
 * authors train it, from LeNet's 800-d trunk run through the frozen head with dropout active:
 * fresh masks per batch, the TCP of that same pass (`BranchSource` of kind 'lenet-head').
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

/**
 * Held-out data that chooses the epoch: the branch's deterministic inputs (dropout off), their
 * TCP and where the deterministic classifier is wrong (the positives of AUPR-Error).
 */
export interface ConfidNetValidation extends ConfidNetData {
  /** 1 where the classifier (dropout off) misclassifies the image, else 0. */
  errors: Uint8Array;
}

/** What the branch learns from: fixed rows, or LeNet's trunk run through its frozen head per batch. */
export type ConfidNetTrainSource = ConfidNetData | BranchSource;

/** How the epoch is chosen: validation AUPR-Error (the authors' choice) or validation MSE. */
export type ConfidNetSelection = 'aupr-error' | 'mse';

export interface ConfidNetEpoch {
  /** 1-based. */
  epoch: number;
  /** Mean MSE(σ(z), TCP) over the epoch's mini-batches (weights changing during the epoch). */
  trainLoss: number;
  /** MSE(σ(z), TCP) on the validation set at the end of the epoch, dropout off. */
  valLoss: number;
  /** Validation AUPR-Error at the end of the epoch (errors positive, confidence from a deterministic pass). */
  valAuprError: number;
}

export interface TrainConfidNetOptions {
  /** Held-out data used only to pick the epoch and to stop (never the test set). */
  validation: ConfidNetValidation;
  /** The most epochs trained. Default 30. */
  epochs?: number;
  /** Stop once this many epochs pass without a better validation criterion; absent = run every epoch. */
  patience?: number;
  /** Default 'aupr-error'. */
  selectBy?: ConfidNetSelection;
  /** Default 128 (the paper's batch size). */
  batchSize?: number;
  /** Adam learning rate, default 1e-4 (the paper's value for the branch). */
  learningRate?: number;
  /** Seeds the initialisation, the per-epoch shuffles and the per-batch dropout masks. Default 0. */
  seed?: number;
  /** Default [400, 400, 400, 400]. */
  hiddenSizes?: readonly number[];
  /** Threads (the caller's + workers); default `RDL_THREADS` or min(2, cores). */
  threads?: number;
  onProgress?: (entry: ConfidNetEpoch) => void | Promise<void>;
}

export interface TrainConfidNetResult {
  /** Weights at the best validation epoch. */
  weights: ConfidNetWeights;
  bestEpoch: number;
  /** Why training ended: every epoch ran, or the patience ran out. */
  stopped: 'max-epochs' | 'patience';
  history: ConfidNetEpoch[];
}

const optionsSchema = z.object({
  epochs: z.number().int('epochs must be an integer').positive('epochs must be > 0').default(30),
  patience: z.number().int('patience must be an integer').positive('patience must be > 0').optional(),
  selectBy: z.enum(['aupr-error', 'mse']).default('aupr-error'),
  batchSize: z.number().int('batchSize must be an integer').positive('batchSize must be > 0').default(128),
  learningRate: z.number().finite('learningRate must be finite').positive('learningRate must be > 0').default(1e-4),
  seed: z.number().int('seed must be an integer').default(0),
  hiddenSizes: z
    .array(z.number().int('hiddenSizes must hold integers').positive('hiddenSizes must hold positive sizes'))
    .default([...CONFIDNET_HIDDEN_SIZES]),
  threads: z.number().int().positive().optional(),
});

function parseTrainOptions(options: TrainConfidNetOptions): z.infer<typeof optionsSchema> {
  const { validation: _validation, onProgress: _onProgress, hiddenSizes, ...rest } = options;
  return parseOptions(optionsSchema, { ...rest, hiddenSizes: hiddenSizes === undefined ? undefined : [...hiddenSizes] }, 'trainConfidNet');
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

function scoresOf(weights: ConfidNetWeights, features: Float32Array, size: number): Float32Array {
  const layers = confidNetTensors(weights, false);
  try {
    return predictWith(layers, features, size);
  } finally {
    layers.forEach(({ kernel, bias }) => tf.dispose([kernel, bias]));
  }
}

function countErrors(errors: Uint8Array, n: number): number {
  if (errors.length !== n) throw new Error(`validation.errors has length ${errors.length}, expected ${n} (one per validation row)`);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (errors[i] !== 0 && errors[i] !== 1) throw new Error(`validation.errors[${i}] = ${errors[i]} is not 0 or 1`);
    count += errors[i];
  }
  return count;
}

/**
 * Train the branch with Adam on MSE(σ(z), TCP), on every thread (see @rdl/models'
 * `createBranchTrainer`). After every epoch the branch scores the validation rows with dropout
 * off; the epoch with the best validation criterion is kept (ties: the earliest), and training
 * stops after `patience` epochs without improvement or at `epochs`. Deterministic for a given
 * seed, backend and thread count.
 */
export async function trainConfidNet(train: ConfidNetTrainSource, options: TrainConfidNetOptions): Promise<TrainConfidNetResult> {
  if (options?.validation === undefined)
    throw new Error('trainConfidNet: validation (features, tcp, errors) is required to pick the epoch');
  const o = parseTrainOptions(options);
  const source: BranchSource = 'kind' in train ? train : { kind: 'features', features: train.features, tcp: train.tcp };
  if (source.kind === 'features') featureSize(source, 'train');
  const { inputSize: size } = branchSourceShape(source);
  const { validation } = options;
  const valSize = featureSize(validation, 'validation');
  if (valSize !== size) throw new Error(`validation.features has ${valSize} features per row, train has ${size}`);
  const valErrors = countErrors(validation.errors, validation.tcp.length);
  if (o.selectBy === 'aupr-error' && (valErrors === 0 || valErrors === validation.tcp.length)) {
    throw new Error(
      `trainConfidNet: validation holds ${valErrors} errors in ${validation.tcp.length} rows; AUPR-Error needs both errors and successes`,
    );
  }

  const auprOf = (scores: Float32Array): number =>
    valErrors === 0 || valErrors === validation.tcp.length ? Number.NaN : auprError(validation.errors, scores);
  const rng = createRng(o.seed);
  const sizes = [size, ...o.hiddenSizes, 1];
  const initial = initConfidNetWeights(size, rng.fork().int(2 ** 31), o.hiddenSizes);
  const shuffleRng = rng.fork();
  const maskRng = rng.fork();
  const trainer = await createBranchTrainer({
    source,
    sizes,
    weights: flatConfidNetWeights(initial).flat,
    learningRate: o.learningRate,
    threads: o.threads,
  });
  const history: ConfidNetEpoch[] = [];
  const criteria: number[] = [];
  const improvement = o.selectBy === 'aupr-error' ? 'higher' : 'lower';
  let best: ConfidNetWeights | undefined;
  let stopped: TrainConfidNetResult['stopped'] = 'max-epochs';
  try {
    // The one loop of @rdl/models: a permutation of the rows per epoch from the shuffle stream,
    // one Adam step per batch with dropout masks from the mask stream, the epoch's loss per row.
    await fitAsync(
      {
        epochs: o.epochs,
        count: trainer.count,
        batchSize: o.batchSize,
        rng: shuffleRng,
        epochMean: 'rows',
        failOnNonFinite: true,
        onEpoch: async (epochIndex, trainLoss) => {
          const epoch = epochIndex + 1;
          const weights = namedConfidNetWeights(trainer.weights, sizes);
          const valScores = scoresOf(weights, validation.features, size);
          const entry: ConfidNetEpoch = { epoch, trainLoss, valLoss: mse(valScores, validation.tcp), valAuprError: auprOf(valScores) };
          history.push(entry);
          criteria.push(o.selectBy === 'aupr-error' ? entry.valAuprError : entry.valLoss);
          if (bestEpochIndex(criteria, improvement) === epochIndex) best = weights;
          await options.onProgress?.(entry);
          if (o.patience !== undefined && epoch < o.epochs && shouldStop(criteria, improvement, o.patience)) {
            stopped = 'patience';
            return 'stop';
          }
          return undefined;
        },
      },
      (batch) => trainer.step(batch.rows!, maskRng.int(2147483647)),
    );
  } finally {
    trainer.dispose();
  }
  const bestIndex = bestEpochIndex(criteria, improvement);
  if (best === undefined || bestIndex < 0) throw new Error('trainConfidNet: the validation criterion was NaN at every epoch');
  return { weights: best, bestEpoch: bestIndex + 1, stopped, history };
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
