import { createRng, permutation } from '@rdl/core';
import { lenetHeadFromTrunk, type McHeadWeights } from '@rdl/models';
import type { FineTuneConfidNetInput } from './confidnet-finetune.js';
import type { ConfidNetTrainSource, ConfidNetValidation } from './confidnet.js';
import { maxSoftmaxProbability } from './classification-scores.js';
import { auprError } from './confidnet-selection.js';
import { confidNetData } from './methods/confidnet.js';

/**
 * ConfidNet's data on a frozen LeNet, as its authors train it (phase 1): the branch learns from
 * the 800-d trunk outputs run through the frozen head with dropout active, and the epoch is
 * chosen on held-out images scored with dropout off.
 */

/** Images as LeNet's 800-d trunk outputs (dropout off) with their labels. */
export interface TrunkSet {
  trunk: Float32Array;
  labels: Uint8Array;
}

/**
 * What the branch learns from. Every choice is judged on the same selection half of the
 * validation split, so they can be compared:
 * - `train`: the classifier's training images, as in the paper (with dropout active, many passes
 *   have a low TCP even on images the deterministic net gets right);
 * - `validation-fit`: the other half of the validation split, images the classifier never saw
 *   (its errors there look like test errors);
 * - `train+validation-fit`: both.
 */
export const CONFIDNET_TRAIN_ON = ['train', 'validation-fit', 'train+validation-fit'] as const;
export type ConfidNetTrainOn = (typeof CONFIDNET_TRAIN_ON)[number];

/** A seeded split of `count` validation images into a fit half and a selection half (sorted indices). */
export function splitValidation(count: number, seed: number): { fit: Int32Array; select: Int32Array } {
  if (!Number.isInteger(count) || count < 2) throw new Error(`splitValidation: count must be an integer ≥ 2, got ${count}`);
  const order = permutation(count, createRng(seed));
  const half = Math.floor(count / 2);
  return { fit: order.slice(0, half).sort(), select: order.slice(half).sort() };
}

function rowsOf(set: TrunkSet, rows: Int32Array | undefined, width: number): TrunkSet {
  if (rows === undefined) return set;
  const trunk = new Float32Array(rows.length * width);
  const labels = new Uint8Array(rows.length);
  rows.forEach((r, i) => {
    trunk.set(set.trunk.subarray(r * width, (r + 1) * width), i * width);
    labels[i] = set.labels[r];
  });
  return { trunk, labels };
}

function concat(a: TrunkSet, b: TrunkSet): TrunkSet {
  const trunk = new Float32Array(a.trunk.length + b.trunk.length);
  trunk.set(a.trunk);
  trunk.set(b.trunk, a.trunk.length);
  const labels = new Uint8Array(a.labels.length + b.labels.length);
  labels.set(a.labels);
  labels.set(b.labels, a.labels.length);
  return { trunk, labels };
}

/** Images (N×784 uint8) of the train and validation splits, in the row order of their trunks. */
export interface ConfidNetImages {
  train: Uint8Array;
  validation: Uint8Array;
}

const IMAGE_SIZE = 784;

function pixelRows(pixels: Uint8Array, rows: Int32Array): Uint8Array {
  const out = new Uint8Array(rows.length * IMAGE_SIZE);
  rows.forEach((r, i) => out.set(pixels.subarray(r * IMAGE_SIZE, (r + 1) * IMAGE_SIZE), i * IMAGE_SIZE));
  return out;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export interface LeNetConfidNetData {
  train: ConfidNetTrainSource;
  /**
   * Phase 2's images (when `images` is given): the same images the branch learns from, with the
   * deterministic classifier's TCP, and the selection half with its TCP and errors.
   */
  fineTune?: Pick<FineTuneConfidNetInput, 'train' | 'validation'>;
  /** The selection half, scored with dropout off. */
  validation: ConfidNetValidation;
  /** For reports: images and errors of the deterministic net on what the branch learns from and on the selection half. */
  summary: {
    trainImages: number;
    trainErrors: number;
    meanTrainTcp: number;
    validationImages: number;
    validationErrors: number;
    /** MCP's AUPR-Error on the selection half: the bar ConfidNet's validation curve has to clear. */
    validationMcpAuprError: number;
  };
}

/**
 * The branch's training source and selection data on a frozen LeNet.
 * @param dropout the rate of the head's two dropouts while the branch trains (LeNet's own rate
 *   for the authors' phase 1; 0 trains on the deterministic pass).
 * @param splitSeed seeds the validation split (the same for every `trainOn`).
 */
export function lenetConfidNetData(input: {
  head: McHeadWeights;
  dropout: number;
  train: TrunkSet;
  validation: TrunkSet;
  trainOn: ConfidNetTrainOn;
  splitSeed: number;
  /** The images behind `train` and `validation` (same order): needed only by the fine-tuning phase. */
  images?: ConfidNetImages;
}): LeNetConfidNetData {
  const hidden = input.head.fc1Bias.length;
  const width = input.head.fc1Kernel.length / hidden;
  const classes = input.head.fc2Bias.length;
  const { fit, select } = splitValidation(input.validation.labels.length, input.splitSeed);
  const fitSet = rowsOf(input.validation, fit, width);
  const learnFrom = input.trainOn === 'train' ? input.train : input.trainOn === 'validation-fit' ? fitSet : concat(input.train, fitSet);
  const selectSet = rowsOf(input.validation, select, width);
  const selectDet = lenetHeadFromTrunk(input.head, selectSet.trunk);
  const validation = confidNetData({ features: selectDet.hidden, probs: selectDet.probs, labels: selectSet.labels, numClasses: classes });
  const learnDet = lenetHeadFromTrunk(input.head, learnFrom.trunk);
  const learnSummary = confidNetData({ features: learnDet.hidden, probs: learnDet.probs, labels: learnFrom.labels, numClasses: classes });
  const { images } = input;
  if (images !== undefined) {
    if (
      images.train.length !== input.train.labels.length * IMAGE_SIZE ||
      images.validation.length !== input.validation.labels.length * IMAGE_SIZE
    ) {
      throw new Error('lenetConfidNetData: images must hold 784 bytes per train and validation image, in the order of their trunks');
    }
  }
  const learnPixels =
    images === undefined
      ? undefined
      : input.trainOn === 'train'
        ? images.train
        : input.trainOn === 'validation-fit'
          ? pixelRows(images.validation, fit)
          : concatBytes(images.train, pixelRows(images.validation, fit));
  const fineTune =
    images === undefined || learnPixels === undefined
      ? undefined
      : {
          train: { pixels: learnPixels, count: learnFrom.labels.length, tcp: learnSummary.tcp },
          validation: {
            pixels: pixelRows(images.validation, select),
            count: select.length,
            tcp: validation.tcp,
            errors: validation.errors,
          },
        };
  return {
    fineTune,
    train: { kind: 'lenet-head', trunk: learnFrom.trunk, labels: learnFrom.labels, head: input.head, dropout: input.dropout },
    validation: { features: validation.features, tcp: validation.tcp, errors: validation.errors },
    summary: {
      trainImages: learnFrom.labels.length,
      trainErrors: learnSummary.errorCount,
      meanTrainTcp: learnSummary.meanTcp,
      validationImages: select.length,
      validationErrors: validation.errorCount,
      validationMcpAuprError: auprError(validation.errors, maxSoftmaxProbability(selectDet.probs, classes)),
    },
  };
}
