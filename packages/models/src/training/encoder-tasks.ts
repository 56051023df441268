/**
 * The single-thread work of ConfidNet's phase 2 (an encoder copy fine-tuned with the branch), run
 * by the calling thread and by the worker threads alike (../parallel/lenet-worker.ts), so every
 * thread computes the same way. Dropout is off, so a batch's rows are independent: any split of a
 * batch gives parts that sum to the whole batch's gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LeNet } from '../nets/lenet.js';
import type { LeNetBlocks } from '../nets/lenet-blocks.js';
import { branchLayers, branchLogit, type BranchLayer } from './branch-tasks.js';
import { batchTensor } from './lenet-tasks.js';

/** The encoder's variables in `LeNet.variables()` order: conv1, conv2, fc1 (kernel, bias each); fc2 is the classifier's. */
export const ENCODER_WEIGHT_NAMES = ['conv1_kernel', 'conv1_bias', 'conv2_kernel', 'conv2_bias', 'fc1_kernel', 'fc1_bias'] as const;

/**
 * Per-row squared error (σ(z) − tcp)² [B] of the branch on the encoder copy, dropout off: conv
 * blocks in training mode (`blocks`, differentiable in the weights), fc1 → ReLU, then the branch.
 */
function squaredErrors(
  encoder: LeNet,
  branch: readonly BranchLayer[],
  x: tf.Tensor4D,
  tcp: tf.Tensor1D,
  blocks?: LeNetBlocks,
): tf.Tensor1D {
  const hidden = encoder.hidden(encoder.trunk(x, { training: true, blocks }), { training: false });
  return tf.squaredDifference(tf.sigmoid(branchLogit(branch, hidden)), tcp);
}

/** Mean MSE(σ(z), tcp) of the branch on the encoder copy, dropout off (see `squaredErrors`). Callers tidy. */
export function encoderBranchLoss(
  encoder: LeNet,
  branch: readonly BranchLayer[],
  x: tf.Tensor4D,
  tcp: tf.Tensor1D,
  blocks?: LeNetBlocks,
): tf.Scalar {
  return tf.mean(squaredErrors(encoder, branch, x, tcp, blocks)) as tf.Scalar;
}

/** The images at `indices` of `pixels` and their TCP targets as tensors. */
export function encoderBatch(pixels: Uint8Array, tcp: Float32Array, indices: ArrayLike<number>): { x: tf.Tensor4D; t: tf.Tensor1D } {
  const targets = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++) targets[i] = tcp[indices[i]];
  return { x: batchTensor(pixels, indices), t: tf.tensor1d(targets) };
}

export interface EncoderGradientPart {
  /** This part's share of the batch's mean loss (Σ over its rows / batch size). */
  loss: number;
  /** Encoder gradients (ENCODER_WEIGHT_NAMES order; none when the encoder is frozen), then branch (kernel, bias per layer). */
  grads: Float32Array[];
}

/**
 * Gradient of rows `indices` (of `pixels`, against `tcp`) that make up part of a batch of `total`
 * rows: loss = Σ over these rows of (σ(z) − tcp)² / total, so the parts of a batch sum to the
 * batch's mean-loss gradient. `encoder`'s conv1, conv2, fc1 and the flat `branch` weights (kernel
 * [in, out] then bias per layer, widths `sizes`) are the point of differentiation.
 */
export async function encoderGradientPart(
  encoder: LeNet,
  branch: readonly Float32Array[],
  sizes: readonly number[],
  pixels: Uint8Array,
  tcp: Float32Array,
  indices: ArrayLike<number>,
  total: number,
  opts: { trainEncoder: boolean; blocks?: LeNetBlocks },
): Promise<EncoderGradientPart> {
  const { x, t } = encoderBatch(pixels, tcp, indices);
  const layers = branchLayers(branch, sizes);
  // variableGrads differentiates variables only: the branch becomes variables for this call.
  const branchVars = layers.flatMap(({ kernel, bias }) => [tf.variable(kernel, true), tf.variable(bias, true)]);
  tf.dispose(layers.flatMap(({ kernel, bias }) => [kernel, bias]));
  const asLayers: BranchLayer[] = [];
  for (let k = 0; k < branchVars.length; k += 2) {
    asLayers.push({ kernel: branchVars[k] as tf.Variable<tf.Rank.R2>, bias: branchVars[k + 1] as tf.Variable<tf.Rank.R1> });
  }
  const encoderVars = opts.trainEncoder ? encoder.variables().slice(0, ENCODER_WEIGHT_NAMES.length) : [];
  const variables = [...encoderVars, ...branchVars];
  try {
    const { value, grads } = tf.variableGrads(
      () => tf.div(tf.sum(squaredErrors(encoder, asLayers, x, t, opts.blocks)), total) as tf.Scalar,
      variables,
    );
    // dataSync, not `await data()`: each call reads ≈ 1.1M gradient values, and on the wasm backend
    // the async read measured several ms slower per step (this is compute on a training step, with
    // nothing else to run meanwhile). dataSync returns fresh arrays, safe to transfer.
    const loss = value.dataSync()[0];
    const out = variables.map((v) => grads[v.name].dataSync() as Float32Array);
    tf.dispose([value, ...Object.values(grads)]);
    return { loss, grads: out };
  } finally {
    tf.dispose([x, t, ...branchVars]);
  }
}
