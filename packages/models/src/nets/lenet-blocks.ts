import { deriveSeed } from '@rdl/core';
/**
 * The parts of LeNet that rdl runs in fused kernels, behind one interface with two
 * implementations: `tfjsBlocks`, the plain tfjs ops (the reference: what `LeNet` runs when given
 * no blocks, and what the tests compare the kernels against), and `wasmSimdBlocks()`, rdl's
 * WebAssembly SIMD kernels (lenet-kernels/). The parts: the two convolutional blocks (conv 5×5
 * valid → 2×2 max-pool → bias → ReLU) in training, the first block at inference, and the MC
 * dropout head (dropout → fc 800→500 → ReLU → dropout → fc 500→10 → softmax, T passes).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fillDropoutMask } from './lenet-dropout.js';

export interface McHeadWeights {
  /** fc1 kernel [features, hidden], row-major. */
  fc1Kernel: Float32Array;
  /** fc1 bias [hidden]. */
  fc1Bias: Float32Array;
  /** fc2 kernel [hidden, classes], row-major. */
  fc2Kernel: Float32Array;
  /** fc2 bias [classes]. */
  fc2Bias: Float32Array;
}

/** MC dropout through LeNet's head, for one set of fc weights and a fixed number of passes. */
export interface LeNetMcHead {
  /**
   * Writes the probabilities of images `first..first+n` into `out` (layout [t, image, class]
   * with `total` images per pass). `trunk` holds their n×features trunk outputs, `seeds` one
   * seed per image. Masks are those of `fillDropoutMask`: per image, one stream from its seed for
   * the first dropout (drawn over the image's non-zero features, pass-major) and one from
   * `secondMaskSeed(seed)` for the second, so any split of the images gives the same numbers.
   */
  probs(trunk: Float32Array, n: number, rate: number, seeds: Int32Array, out: Float32Array, first: number, total: number): void;
}

export interface LeNetBlocks {
  readonly name: string;
  /**
   * First block in training: images [B,28,28,1] → [B,12,12,20]; differentiable in kernel
   * [5,5,1,20] and bias (the wasm kernel not in the images: input gradients go through
   * `LeNet.trunk` without blocks).
   */
  trainFirst(x: tf.Tensor4D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor4D;
  /** Second block in training: [B,12,12,20] → [B,4,4,50]; differentiable in all three. */
  trainSecond(x: tf.Tensor4D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor4D;
  /** First block at inference on images [start, start + n) of uint8 pixels (784 each): [n,12,12,20]. */
  inferFirst(pixels: Uint8Array, start: number, n: number, kernel: Float32Array, bias: Float32Array): tf.Tensor4D;
  /** The MC dropout head for these fc weights and `passes` passes. */
  mcHead(weights: McHeadWeights, passes: number): Promise<LeNetMcHead>;
}

/** The seed of an image's second dropout mask, from its own seed. */
export const secondMaskSeed = (seed: number): number => deriveSeed(seed, 'lenet/mc-dropout-2');

/**
 * A block in training: conv → max-pool → bias → ReLU, the SPEC's values exactly (pooling commutes
 * with a per-channel bias and with ReLU, float rounding included); the bias is added after
 * pooling, on 4× fewer values, which makes its add and its gradient's sum 4× cheaper.
 */
export function trainingBlock(x: tf.Tensor4D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor4D {
  return tf.relu(tf.add(tf.maxPool(tf.conv2d(x, kernel as tf.Tensor4D, 1, 'valid'), 2, 2, 'valid'), bias)) as tf.Tensor4D;
}

/** The same values at inference, bias and ReLU fused into the convolution (≈ 10% faster). */
export function inferenceBlock(x: tf.Tensor4D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor4D {
  return tf.maxPool(
    tf.fused.conv2d({ x, filter: kernel as tf.Tensor4D, strides: 1, pad: 'valid', bias, activation: 'relu' }),
    2,
    2,
    'valid',
  );
}

const IMAGE = 784;

/** The reference head: each pass's masked inputs as a dense [T, features] matrix through tfjs ops. */
class TfjsMcHead implements LeNetMcHead {
  constructor(
    private readonly w: McHeadWeights,
    private readonly passes: number,
  ) {}

  probs(trunk: Float32Array, n: number, rate: number, seeds: Int32Array, out: Float32Array, first: number, total: number): void {
    const { w, passes } = this;
    const hidden = w.fc1Bias.length;
    const classes = w.fc2Bias.length;
    const features = w.fc1Kernel.length / hidden;
    tf.tidy(() => {
      const w1 = tf.tensor2d(w.fc1Kernel, [features, hidden]);
      const b1 = tf.tensor1d(w.fc1Bias);
      const w2 = tf.tensor2d(w.fc2Kernel, [hidden, classes]);
      const b2 = tf.tensor1d(w.fc2Bias);
      for (let i = 0; i < n; i++) {
        const x = trunk.subarray(i * features, (i + 1) * features);
        const kept: number[] = [];
        for (let j = 0; j < features; j++) if (x[j] !== 0) kept.push(j);
        const m1 = fillDropoutMask(new Float32Array(passes * kept.length), rate, seeds[i]);
        const input = new Float32Array(passes * features);
        for (let t = 0; t < passes; t++) kept.forEach((j, q) => (input[t * features + j] = x[j] * m1[t * kept.length + q]));
        const m2 = fillDropoutMask(new Float32Array(passes * hidden), rate, secondMaskSeed(seeds[i]));
        const h = tf.mul(tf.relu(tf.add(tf.matMul(tf.tensor2d(input, [passes, features]), w1), b1)), tf.tensor2d(m2, [passes, hidden]));
        const p = tf.softmax(tf.add(tf.matMul(h, w2), b2)).dataSync();
        for (let t = 0; t < passes; t++) out.set(p.subarray(t * classes, (t + 1) * classes), (t * total + first + i) * classes);
      }
    });
  }
}

/** The plain tfjs ops: the reference implementation. */
export const tfjsBlocks: LeNetBlocks = {
  name: 'tfjs',
  trainFirst: trainingBlock,
  trainSecond: trainingBlock,
  inferFirst(pixels, start, n, kernel, bias) {
    return tf.tidy(() => {
      const values = new Float32Array(n * IMAGE);
      const scale = 1 / 255; // the scaling of the training batches and of the wasm kernel
      for (let i = 0; i < values.length; i++) values[i] = pixels[start * IMAGE + i] * scale;
      const k = tf.tensor4d(kernel, [5, 5, 1, kernel.length / 25]);
      return inferenceBlock(tf.tensor4d(values, [n, 28, 28, 1]), k, tf.tensor1d(bias));
    });
  },
  mcHead: async (weights, passes) => new TfjsMcHead(weights, passes),
};
