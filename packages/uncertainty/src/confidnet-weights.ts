import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@rdl/core';
import { branchLogit } from '@rdl/models';

/**
 * ConfidNet's auxiliary branch (Corbière et al., NeurIPS 2019) as plain weights: an MLP on the
 * frozen classifier's penultimate features, 500 → 400 → 400 → 400 → 400 → 1, ReLU between
 * layers, linear last layer; the confidence is sigmoid of its output. Layer names follow the
 * course's `LeNetConfidNet` (`uncertainty1` … `uncertainty5`).
 */
export interface NamedWeight {
  shape: number[];
  values: Float32Array;
}

/** Same record format as the LeNet checkpoints: `uncertaintyK/kernel` [in, out], `uncertaintyK/bias` [out]. */
export type ConfidNetWeights = Record<string, NamedWeight>;

export const CONFIDNET_HIDDEN_SIZES: readonly number[] = [400, 400, 400, 400];

export function confidNetLayerName(index: number): string {
  return `uncertainty${index + 1}`;
}

/** Layer widths [in, h1, …, 1] recovered from a weight record, checking it is complete. */
export function confidNetLayerSizes(weights: ConfidNetWeights): number[] {
  const sizes: number[] = [];
  for (let k = 0; ; k++) {
    const kernel = weights[`${confidNetLayerName(k)}/kernel`];
    if (kernel === undefined) break;
    const bias = weights[`${confidNetLayerName(k)}/bias`];
    const [fanIn, fanOut] = kernel.shape;
    if (kernel.shape.length !== 2 || kernel.values.length !== fanIn * fanOut) {
      throw new Error(`weights.${confidNetLayerName(k)}/kernel: bad shape [${kernel.shape.join(', ')}]`);
    }
    if (bias === undefined || bias.values.length !== fanOut) {
      throw new Error(`weights.${confidNetLayerName(k)}/bias: missing or not of length ${fanOut}`);
    }
    if (k === 0) sizes.push(fanIn);
    else if (sizes[k] !== fanIn)
      throw new Error(`weights.${confidNetLayerName(k)}/kernel: expects ${fanIn} inputs, previous layer gives ${sizes[k]}`);
    sizes.push(fanOut);
  }
  if (sizes.length < 2) throw new Error('weights: no ConfidNet layer found (expected uncertainty1/kernel …)');
  if (sizes[sizes.length - 1] !== 1) throw new Error('weights: the last ConfidNet layer must have one output');
  return sizes;
}

/** The record's parameters as flat arrays, kernel [in, out] then bias per layer (what the trainers step), with the layer widths. */
export function flatConfidNetWeights(weights: ConfidNetWeights): { sizes: number[]; flat: Float32Array[] } {
  const sizes = confidNetLayerSizes(weights);
  const flat = sizes
    .slice(1)
    .flatMap((_, k) => [weights[`${confidNetLayerName(k)}/kernel`].values, weights[`${confidNetLayerName(k)}/bias`].values]);
  return { sizes, flat };
}

/** Flat parameters (kernel, bias per layer) of widths `sizes` as a named record; the arrays are copied. */
export function namedConfidNetWeights(flat: readonly Float32Array[], sizes: readonly number[]): ConfidNetWeights {
  const weights: ConfidNetWeights = {};
  for (let k = 0; k + 1 < sizes.length; k++) {
    weights[`${confidNetLayerName(k)}/kernel`] = { shape: [sizes[k], sizes[k + 1]], values: Float32Array.from(flat[2 * k]) };
    weights[`${confidNetLayerName(k)}/bias`] = { shape: [sizes[k + 1]], values: Float32Array.from(flat[2 * k + 1]) };
  }
  return weights;
}

/**
 * PyTorch's default `nn.Linear` initialisation, U(−1/√fan_in, 1/√fan_in) for kernel and bias, as
 * in the reference implementation; drawn from the seeded rng so it is the same on every backend.
 */
export function initConfidNetWeights(
  inputSize: number,
  seed: number,
  hiddenSizes: readonly number[] = CONFIDNET_HIDDEN_SIZES,
): ConfidNetWeights {
  const rng = createRng(seed);
  const sizes = [inputSize, ...hiddenSizes, 1];
  const weights: ConfidNetWeights = {};
  for (let k = 0; k + 1 < sizes.length; k++) {
    const [fanIn, fanOut] = [sizes[k], sizes[k + 1]];
    const bound = 1 / Math.sqrt(fanIn);
    const kernel = new Float32Array(fanIn * fanOut);
    for (let j = 0; j < kernel.length; j++) kernel[j] = rng.uniform(-bound, bound);
    const bias = new Float32Array(fanOut);
    for (let j = 0; j < fanOut; j++) bias[j] = rng.uniform(-bound, bound);
    weights[`${confidNetLayerName(k)}/kernel`] = { shape: [fanIn, fanOut], values: kernel };
    weights[`${confidNetLayerName(k)}/bias`] = { shape: [fanOut], values: bias };
  }
  return weights;
}

/** Kernel/bias pairs in layer order, as tensors (or variables) the caller owns. */
export interface ConfidNetLayerTensors {
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D;
}

export function confidNetTensors(weights: ConfidNetWeights, trainable: boolean): ConfidNetLayerTensors[] {
  const sizes = confidNetLayerSizes(weights);
  const layers: ConfidNetLayerTensors[] = [];
  for (let k = 0; k + 1 < sizes.length; k++) {
    const kernel = tf.tensor2d(weights[`${confidNetLayerName(k)}/kernel`].values, [sizes[k], sizes[k + 1]]);
    const bias = tf.tensor1d(weights[`${confidNetLayerName(k)}/bias`].values);
    if (!trainable) {
      layers.push({ kernel, bias });
      continue;
    }
    // Unnamed: tfjs gives variables unique names, so several trainings can coexist.
    layers.push({ kernel: tf.variable(kernel, true), bias: tf.variable(bias, true) });
    kernel.dispose();
    bias.dispose();
  }
  return layers;
}

/** The pre-sigmoid output z [B] of the branch (@rdl/models' `branchLogit`, the one forward pass); callers tidy. */
export function confidNetLogit(layers: readonly ConfidNetLayerTensors[], features: tf.Tensor2D): tf.Tensor1D {
  return branchLogit(layers, features);
}

/** Copy the current values of the layer tensors into a weight record. */
export function readConfidNetWeights(layers: readonly ConfidNetLayerTensors[]): ConfidNetWeights {
  const weights: ConfidNetWeights = {};
  layers.forEach(({ kernel, bias }, k) => {
    weights[`${confidNetLayerName(k)}/kernel`] = { shape: [...kernel.shape], values: Float32Array.from(kernel.dataSync()) };
    weights[`${confidNetLayerName(k)}/bias`] = { shape: [...bias.shape], values: Float32Array.from(bias.dataSync()) };
  });
  return weights;
}
