import { createRng, parseOptions } from '@rdl/core';
import { createEncoderFineTuner, ENCODER_WEIGHT_NAMES, fitAsync, hiddenFeatures, LeNet, type LeNetWeights } from '@rdl/models';
import { z } from 'zod';
import { auprError, bestEpochIndex, shouldStop } from './confidnet-selection.js';
import { flatConfidNetWeights, namedConfidNetWeights, type ConfidNetWeights } from './confidnet-weights.js';
import { confidNetScores, type ConfidNetValidation } from './confidnet.js';

/**
 * ConfidNet's second phase (Corbière et al. 2019, valeoai/ConfidNet): the classifier keeps its
 * encoder (its predictions and the TCP targets do not move); a copy of the encoder (conv1, conv2,
 * fc1) feeds the phase-1 branch and both are fine-tuned on MSE(σ(z), TCP), dropout off, at a small
 * learning rate. The epoch is chosen on the same validation selection half as phase 1, with epoch 0
 * (the unchanged copy and the phase-1 branch) a candidate: on validation, phase 2 is never worse.
 */

/** Images (N×784 uint8, row-major) with one value per image. */
export interface FineTuneImages {
  pixels: Uint8Array;
  count: number;
}

export interface FineTuneConfidNetInput {
  /** The trained LeNet's weights: the classifier, and the start of the encoder copy. */
  lenet: LeNetWeights;
  /** LeNet's dropout rate (kept with the copy; phase 2 trains with dropout off). */
  dropout: number;
  /** The phase-1 branch (its best validation epoch). */
  branch: ConfidNetWeights;
  /** Images the copy learns from and their TCP under the frozen deterministic classifier. */
  train: FineTuneImages & { tcp: Float32Array };
  /** The selection half's images, with the deterministic classifier's TCP and errors (phase 1's validation rows). */
  validation: FineTuneImages & Pick<ConfidNetValidation, 'tcp' | 'errors'>;
}

export interface FineTuneConfidNetOptions {
  /** Fine-tuning epochs; 0 returns phase 1 unchanged. */
  epochs: number;
  /** Adam learning rate. Default 1e-6 (small: the copy starts from a trained encoder). */
  learningRate?: number;
  /** Default 128. */
  batchSize?: number;
  /** Stop after this many epochs without a better validation AUPR-Error (epoch 0 counts); absent = every epoch. */
  patience?: number;
  /** Seeds the per-epoch shuffles. Default 0. */
  seed?: number;
  /** false: the encoder copy stays frozen and only the branch trains (a control for the encoder's share of a gain). Default true. */
  trainEncoder?: boolean;
  /** Threads of the fine-tuning steps and of the validation scoring, default `RDL_THREADS` or min(2, cores) (see `createEncoderFineTuner`). */
  threads?: number;
  onProgress?: (entry: FineTuneEpoch) => void | Promise<void>;
}

export interface FineTuneEpoch {
  /** 0 = before fine-tuning (phase 1's result on the copy). */
  epoch: number;
  /** Mean MSE over the epoch's batches; null at epoch 0. */
  trainLoss: number | null;
  valLoss: number;
  valAuprError: number;
}

export interface FineTuneConfidNetResult {
  /** The encoder copy at the chosen epoch (a whole LeNet record; fc2 is the classifier's, untouched). */
  encoder: LeNetWeights;
  /** The branch at the chosen epoch. */
  weights: ConfidNetWeights;
  /** 0 when no fine-tuned epoch beat phase 1 on validation. */
  bestEpoch: number;
  stopped: 'max-epochs' | 'patience';
  /** Epoch 0 first, then one entry per fine-tuning epoch. */
  history: FineTuneEpoch[];
}

const optionsSchema = z.object({
  epochs: z.number().int('epochs must be an integer').min(0, 'epochs must be ≥ 0'),
  learningRate: z.number().finite().positive('learningRate must be > 0').default(1e-6),
  batchSize: z.number().int('batchSize must be an integer').positive('batchSize must be > 0').default(128),
  patience: z.number().int('patience must be an integer').positive('patience must be > 0').optional(),
  seed: z.number().int().default(0),
  threads: z.number().int().positive().optional(),
  trainEncoder: z.boolean().default(true),
});

function checkImages(set: FineTuneImages, values: number, field: string): void {
  if (!Number.isInteger(set.count) || set.count <= 0) throw new Error(`${field}.count must be a positive integer, got ${set.count}`);
  if (set.pixels.length !== set.count * 784) throw new Error(`${field}.pixels has ${set.pixels.length} bytes, expected ${set.count} × 784`);
  if (values !== set.count) throw new Error(`${field} has ${values} targets for ${set.count} images`);
}

/**
 * Phase 2 of ConfidNet: fine-tune a copy of LeNet's encoder with the phase-1 branch on the
 * ConfidNet loss (Adam, `fitAsync`; each batch split over the threads), scoring the selection half
 * after every epoch. Deterministic for a given seed, backend and thread count.
 */
export async function fineTuneConfidNet(
  input: FineTuneConfidNetInput,
  options: FineTuneConfidNetOptions,
): Promise<FineTuneConfidNetResult> {
  const { onProgress, ...rest } = options;
  const o = parseOptions(optionsSchema, rest, 'fineTuneConfidNet options');
  checkImages(input.train, input.train.tcp.length, 'train');
  const { validation } = input;
  checkImages(validation, validation.tcp.length, 'validation');
  if (validation.errors.length !== validation.count) {
    throw new Error(`validation.errors has ${validation.errors.length} values for ${validation.count} images`);
  }
  const { sizes, flat } = flatConfidNetWeights(input.branch);
  const tuner = await createEncoderFineTuner({
    lenet: input.lenet,
    dropout: input.dropout,
    sizes,
    branch: flat,
    learningRate: o.learningRate,
    trainEncoder: o.trainEncoder,
    threads: o.threads,
  });
  const history: FineTuneEpoch[] = [];
  const criteria: number[] = [];
  let best = { encoder: input.lenet, weights: input.branch };
  let stopped: FineTuneConfidNetResult['stopped'] = 'max-epochs';
  const evaluate = async (epoch: number, trainLoss: number | null): Promise<boolean> => {
    const weights = epoch === 0 ? input.branch : namedConfidNetWeights(tuner.branchWeights(), sizes);
    const features = await hiddenFeatures(tuner.encoder, validation.pixels, validation.count, { batchSize: 1000, threads: o.threads });
    const scores = confidNetScores(weights, features).values;
    let sq = 0;
    for (let i = 0; i < scores.length; i++) sq += (scores[i] - validation.tcp[i]) ** 2;
    const entry: FineTuneEpoch = { epoch, trainLoss, valLoss: sq / scores.length, valAuprError: auprError(validation.errors, scores) };
    history.push(entry);
    criteria.push(entry.valAuprError);
    // Ties keep the earlier epoch: epoch 0 (phase 1 unchanged) wins unless beaten strictly.
    if (epoch > 0 && bestEpochIndex(criteria, 'higher') === epoch) best = { encoder: tuner.encoder.getWeights(), weights };
    await onProgress?.(entry);
    return o.patience !== undefined && epoch < o.epochs && shouldStop(criteria, 'higher', o.patience);
  };
  try {
    await evaluate(0, null);
    await fitAsync(
      {
        epochs: o.epochs,
        count: input.train.count,
        batchSize: o.batchSize,
        rng: createRng(o.seed),
        epochMean: 'rows',
        failOnNonFinite: true,
        onEpoch: async (epochIndex, trainLoss) => {
          if (!(await evaluate(epochIndex + 1, trainLoss))) return undefined;
          stopped = 'patience';
          return 'stop';
        },
      },
      (batch) => tuner.step(input.train.pixels, input.train.tcp, batch.rows!),
    );
  } finally {
    tuner.dispose();
  }
  const bestEpoch = Math.max(0, bestEpochIndex(criteria, 'higher'));
  return { encoder: best.encoder, weights: best.weights, bestEpoch, stopped, history };
}

/** Prefix of the fine-tuned encoder copy's entries when they are stored with the branch in one weight record. */
export const CONFIDNET_ENCODER_PREFIX = 'encoder/';

/** One record for a checkpoint: the branch's `uncertaintyK/…` entries plus the copy's conv1, conv2, fc1 as `encoder/…`. */
export function withEncoderCopy(branch: ConfidNetWeights, encoder: LeNetWeights): ConfidNetWeights {
  const out: ConfidNetWeights = { ...branch };
  for (const name of ENCODER_WEIGHT_NAMES) {
    const w = encoder[name];
    if (w === undefined) throw new Error(`withEncoderCopy: encoder weight "${name}" is missing`);
    out[`${CONFIDNET_ENCODER_PREFIX}${name}`] = w;
  }
  return out;
}

/** True when a ConfidNet record carries a fine-tuned encoder copy (its branch then reads the copy's features, not LeNet's). */
export function hasEncoderCopy(record: Readonly<Record<string, unknown>>): boolean {
  return Object.keys(record).some((k) => k.startsWith(CONFIDNET_ENCODER_PREFIX));
}

/**
 * The encoder copy of a record as LeNet weights: its conv1, conv2, fc1 with the classifier's own
 * fc2 (never fine-tuned), ready for `LeNet.setWeights`; undefined when the record has no copy.
 */
export function encoderCopyOf(record: ConfidNetWeights, classifier: LeNetWeights): LeNetWeights | undefined {
  if (!hasEncoderCopy(record)) return undefined;
  const out: LeNetWeights = { ...classifier };
  for (const name of ENCODER_WEIGHT_NAMES) {
    const w = record[`${CONFIDNET_ENCODER_PREFIX}${name}`];
    if (w === undefined) throw new Error(`ConfidNet weights: "${CONFIDNET_ENCODER_PREFIX}${name}" is missing from the encoder copy`);
    out[name] = w;
  }
  return out;
}

/**
 * The network whose hidden features a ConfidNet record scores: its fine-tuned encoder copy as a
 * LeNet when it holds one (the classifier's fc2 kept, never used by ConfidNet), else the
 * classifier itself. `dispose` frees the copy only; the caller keeps owning the classifier.
 */
export function confidNetEncoder(record: ConfidNetWeights, classifier: LeNet): { encoder: LeNet; isCopy: boolean; dispose(): void } {
  const copy = encoderCopyOf(record, classifier.getWeights());
  if (copy === undefined) return { encoder: classifier, isCopy: false, dispose: () => undefined };
  const encoder = LeNet.create({ ...classifier.config });
  encoder.setWeights(copy);
  return { encoder, isCopy: true, dispose: () => encoder.dispose() };
}
