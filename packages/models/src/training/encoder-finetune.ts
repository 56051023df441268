/**
 * ConfidNet's second phase (Corbière et al. 2019): a copy of LeNet's encoder (conv1, conv2, fc1 →
 * ReLU) fine-tuned jointly with the confidence branch on MSE(σ(branch(encoder(x))), TCP), dropout
 * off. The classifier keeps its own encoder, so its predictions and the TCP targets do not move;
 * only the copy and the branch learn. One thread: tfjs autodiff through LeNet's training blocks,
 * one `tfAdam` step per batch (the schedule is the caller's `fitAsync`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { parseOptions } from '@rdl/core';
import { z } from 'zod';
import { LeNet, type LeNetWeights } from '../nets/lenet.js';
import type { LeNetBlocks } from '../nets/lenet-blocks.js';
import { wasmSimdBlocks } from '../nets/lenet-kernels/wasm-simd-blocks.js';
import { branchLogit, type BranchLayer } from './branch-tasks.js';
import { batchTensor } from './lenet-tasks.js';
import { minimize, tfAdam } from './tf-adam.js';

/** The encoder's variables in `LeNet.variables()` order: conv1, conv2, fc1 (kernel, bias each); fc2 is the classifier's. */
export const ENCODER_WEIGHT_NAMES = ['conv1_kernel', 'conv1_bias', 'conv2_kernel', 'conv2_bias', 'fc1_kernel', 'fc1_bias'] as const;

/**
 * Mean MSE(σ(z), tcp) of the branch on the encoder copy, dropout off: conv blocks in training mode
 * (`blocks`, differentiable in the weights), fc1 → ReLU, then the branch. Callers tidy.
 */
export function encoderBranchLoss(
  encoder: LeNet,
  branch: readonly BranchLayer[],
  x: tf.Tensor4D,
  tcp: tf.Tensor1D,
  blocks?: LeNetBlocks,
): tf.Scalar {
  const hidden = encoder.hidden(encoder.trunk(x, { training: true, blocks }), { training: false });
  return tf.mean(tf.squaredDifference(tf.sigmoid(branchLogit(branch, hidden)), tcp)) as tf.Scalar;
}

export interface EncoderFineTunerOptions {
  /** The trained LeNet's weights: the copy starts from them (fc2 is kept but never trained). */
  lenet: LeNetWeights;
  /** LeNet's dropout rate (only stored with the copy; phase 2 runs with dropout off). */
  dropout: number;
  /** Layer widths [500, h₁, …, 1] of the branch. */
  sizes: number[];
  /** The phase-1 branch's flat parameters, kernel [in, out] then bias per layer; copied. */
  branch: Float32Array[];
  learningRate: number;
  /** false keeps the encoder copy frozen and steps the branch only (a control: the gain of more branch training alone). Default true. */
  trainEncoder?: boolean;
}

export interface EncoderFineTuner {
  /** The encoder copy (a whole LeNet; only conv1, conv2, fc1 change). Score with `hiddenFeatures(tuner.encoder, …)`. */
  readonly encoder: LeNet;
  /** One Adam step on images `indices` of `pixels` (N×784 uint8) against `tcp` (N targets); returns the batch's mean loss. */
  step(pixels: Uint8Array, tcp: Float32Array, indices: Int32Array): Promise<number>;
  /** Gradients of the batch's mean loss, without stepping: encoder (ENCODER_WEIGHT_NAMES order, unless frozen) then branch (kernel, bias per layer). */
  gradients(pixels: Uint8Array, tcp: Float32Array, indices: Int32Array): Promise<{ loss: number; grads: Float32Array[] }>;
  /** Copies of the current branch parameters (flat, kernel then bias per layer). */
  branchWeights(): Float32Array[];
  dispose(): void;
}

const optionsSchema = z.object({
  dropout: z.number().min(0).lt(1),
  sizes: z.array(z.number().int().positive()).min(2),
  learningRate: z.number().positive(),
});

export async function createEncoderFineTuner(opts: EncoderFineTunerOptions): Promise<EncoderFineTuner> {
  const o = parseOptions(
    optionsSchema,
    { dropout: opts.dropout, sizes: opts.sizes, learningRate: opts.learningRate },
    'createEncoderFineTuner options',
  );
  const expected = o.sizes.slice(1).flatMap((out, k) => [o.sizes[k] * out, out]);
  if (opts.branch.length !== expected.length || opts.branch.some((w, k) => w.length !== expected[k])) {
    throw new Error(`createEncoderFineTuner options: branch weights do not match sizes [${o.sizes.join(', ')}]`);
  }
  const encoder = LeNet.create({ dropout: o.dropout, seed: 0 });
  encoder.setWeights(opts.lenet);
  if (o.sizes[0] !== encoder.hiddenSize) {
    encoder.dispose();
    throw new Error(`createEncoderFineTuner options: sizes[0] = ${o.sizes[0]}, but LeNet's hidden layer has ${encoder.hiddenSize} units`);
  }
  const branch: BranchLayer[] = o.sizes.slice(1).map((out, k) => ({
    kernel: tf.variable(tf.tensor2d(opts.branch[2 * k], [o.sizes[k], out]), true) as tf.Variable<tf.Rank.R2>,
    bias: tf.variable(tf.tensor1d(opts.branch[2 * k + 1]), true) as tf.Variable<tf.Rank.R1>,
  }));
  const encoderVars = encoder.variables().slice(0, ENCODER_WEIGHT_NAMES.length);
  const branchVars = branch.flatMap(({ kernel, bias }) => [kernel, bias] as tf.Variable[]);
  const variables = opts.trainEncoder === false ? branchVars : [...encoderVars, ...branchVars];
  const optimizer = tfAdam({ learningRate: o.learningRate });
  const blocks = await wasmSimdBlocks();
  const batch = (pixels: Uint8Array, tcp: Float32Array, indices: Int32Array) => {
    const targets = new Float32Array(indices.length);
    indices.forEach((r, i) => (targets[i] = tcp[r]));
    return { x: batchTensor(pixels, indices), t: tf.tensor1d(targets) };
  };
  return {
    encoder,
    async step(pixels, tcp, indices) {
      const { x, t } = batch(pixels, tcp, indices);
      try {
        const loss = minimize(optimizer, variables, () => encoderBranchLoss(encoder, branch, x, t, blocks));
        const value = (await loss.data())[0];
        loss.dispose();
        return value;
      } finally {
        tf.dispose([x, t]);
      }
    },
    async gradients(pixels, tcp, indices) {
      const { x, t } = batch(pixels, tcp, indices);
      try {
        const { value, grads } = tf.variableGrads(() => encoderBranchLoss(encoder, branch, x, t, blocks), variables);
        const loss = (await value.data())[0];
        const out = await Promise.all(variables.map(async (v) => Float32Array.from(await grads[v.name].data())));
        tf.dispose([value, ...Object.values(grads)]);
        return { loss, grads: out };
      } finally {
        tf.dispose([x, t]);
      }
    },
    branchWeights: () => branchVars.map((v) => Float32Array.from(v.dataSync())),
    dispose() {
      optimizer.dispose();
      tf.dispose(branchVars);
      encoder.dispose();
    },
  };
}
