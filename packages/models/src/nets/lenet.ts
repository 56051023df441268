/**
 * LeNet (SPEC week I): conv 1→20 5×5, maxpool 2, ReLU; conv 20→50 5×5, maxpool 2, ReLU; flatten
 * 800; dropout; fc 800→500, ReLU; dropout; fc 500→10. Written with raw tfjs-core ops on
 * tf.Variable weights (no tfjs-layers) so the deterministic trunk and the stochastic head can be run
 * separately: MC dropout runs the trunk once per image and only the head T times.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng, parseOptions, type Rng, deriveSeed } from '@rdl/core';
import { z } from 'zod';
// Registers tfjs-core's gradients (its Node bundle does not), as @rdl/runtime does on import.
import '@tensorflow/tfjs-layers';
import { inferenceBlock, tfjsBlocks, type LeNetBlocks } from './lenet-blocks.js';
import { applyDropout, type MaskRows } from './lenet-dropout.js';

export interface LeNetConfig {
  /** Dropout probability before each fully connected layer, e.g. 0.5. */
  dropout: number;
  /** Seed for the initial weights and for dropout masks drawn without an explicit seed. */
  seed: number;
}

export interface LeNetForwardOptions {
  /** true applies dropout (also at prediction time for MC dropout). */
  training: boolean;
  /** Seed of the dropout masks; when absent the model's own seeded stream picks one. */
  seed?: number;
  /** This batch is rows [offset, offset + B) of a larger batch whose masks `seed` draws. */
  maskRows?: MaskRows;
  /**
   * In training, the implementation of the convolutional blocks: `tfjsBlocks` (the default) or
   * `await wasmSimdBlocks()` (no gradient with respect to the input images).
   */
  blocks?: LeNetBlocks;
}

export interface LeNetWeight {
  shape: number[];
  values: Float32Array;
}

export type LeNetWeights = Record<string, LeNetWeight>;

const configSchema = z.object({
  dropout: z.number().min(0).lt(1),
  seed: z.number().int(),
});

/** Weight names and shapes, in `variables()` order. */
export const LENET_WEIGHT_SHAPES: Readonly<Record<string, readonly number[]>> = {
  conv1_kernel: [5, 5, 1, 20],
  conv1_bias: [20],
  conv2_kernel: [5, 5, 20, 50],
  conv2_bias: [50],
  fc1_kernel: [800, 500],
  fc1_bias: [500],
  fc2_kernel: [500, 10],
  fc2_bias: [10],
};

/** Fan-in for He-uniform initialisation of each kernel. */
const FAN_IN: Record<string, number> = { conv1_kernel: 25, conv2_kernel: 500, fc1_kernel: 800, fc2_kernel: 500 };

/** MNIST pixels (uint8, row-major 28×28 per image) → float [count,28,28,1] scaled to [0,1]. */
export function imagesToTensor(pixels: Uint8Array, count: number): tf.Tensor4D {
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a non-negative integer, got ${count}`);
  const size = count * 784;
  if (pixels.length < size) throw new Error(`pixels must hold ${size} bytes for ${count} images, got ${pixels.length}`);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = pixels[i] / 255;
  return tf.tensor4d(values, [count, 28, 28, 1], 'float32');
}

export class LeNet {
  readonly config: LeNetConfig;
  private readonly weights: Map<string, tf.Variable>;
  private readonly rng: Rng;

  private constructor(config: LeNetConfig, weights: Map<string, tf.Variable>) {
    this.config = config;
    this.weights = weights;
    this.rng = createRng(deriveSeed(config.seed, 'lenet/unseeded-masks'));
  }

  static create(config: LeNetConfig): LeNet {
    parseOptions(configSchema, config, 'LeNet.create');
    const rng = createRng(config.seed);
    const weights = new Map<string, tf.Variable>();
    for (const [name, shape] of Object.entries(LENET_WEIGHT_SHAPES)) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(size);
      const fanIn = FAN_IN[name];
      if (fanIn !== undefined) {
        const limit = Math.sqrt(6 / fanIn);
        for (let i = 0; i < size; i++) values[i] = rng.uniform(-limit, limit);
      }
      const initial = tf.tensor(values, [...shape], 'float32');
      weights.set(name, tf.variable(initial, true, `lenet_${config.seed}_${name}_${uid++}`));
      initial.dispose(); // the variable keeps its own reference to the data
    }
    return new LeNet({ ...config }, weights);
  }

  private w(name: string): tf.Variable {
    const v = this.weights.get(name);
    if (!v) throw new Error(`LeNet weight ${name} is missing (disposed?)`);
    return v;
  }

  private maskSeed(opts: LeNetForwardOptions, layer: 1 | 2): number {
    const base = opts.seed ?? this.rng.int(2147483647);
    return deriveSeed(base, layer === 1 ? 'lenet/dropout-1' : 'lenet/dropout-2');
  }

  /**
   * Deterministic convolutional part: [B,28,28,1] → [B,800]. Each block computes conv → max-pool
   * → bias → ReLU, the SPEC's values exactly (see lenet-blocks.ts): out of training bias and ReLU
   * are fused into the convolution (≈ 10% faster inference); in training `blocks` runs them
   * (default `tfjsBlocks`, bias after pooling).
   */
  trunk(x: tf.Tensor4D, opts: { training?: boolean; blocks?: LeNetBlocks } = {}): tf.Tensor2D {
    const training = opts.training ?? false;
    return tf.tidy(() => {
      const [k1, b1, k2, b2] = [this.w('conv1_kernel'), this.w('conv1_bias'), this.w('conv2_kernel'), this.w('conv2_bias')];
      if (!training) return this.flatten(inferenceBlock(inferenceBlock(x, k1, b1), k2, b2));
      const blocks = opts.blocks ?? tfjsBlocks;
      return this.flatten(blocks.trainSecond(blocks.trainFirst(x, k1, b1), k2, b2));
    });
  }

  /**
   * The trunk's second block at inference, from the first block's output [B,12,12,20] (as
   * computed by `LeNetBlocks.inferFirst`): [B,800].
   */
  trunkAfterFirstBlock(firstBlock: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => this.flatten(inferenceBlock(firstBlock, this.w('conv2_kernel'), this.w('conv2_bias'))));
  }

  private flatten(x: tf.Tensor4D): tf.Tensor2D {
    return tf.reshape(x, [x.shape[0], x.shape[1] * x.shape[2] * x.shape[3]]) as tf.Tensor2D;
  }

  /** Dropout → fc 800→500 → ReLU: [B,800] → [B,500]. */
  hidden(trunkOut: tf.Tensor2D, opts: LeNetForwardOptions): tf.Tensor2D {
    return tf.tidy(() => {
      const input = opts.training ? applyDropout(trunkOut, this.config.dropout, this.maskSeed(opts, 1), opts.maskRows) : trunkOut;
      return tf.relu(tf.add(tf.matMul(input, this.w('fc1_kernel') as tf.Tensor2D), this.w('fc1_bias'))) as tf.Tensor2D;
    });
  }

  /** Dropout → fc 500→10: [B,500] → logits [B,10]. */
  classify(hidden: tf.Tensor2D, opts: LeNetForwardOptions): tf.Tensor2D {
    return tf.tidy(() => {
      const input = opts.training ? applyDropout(hidden, this.config.dropout, this.maskSeed(opts, 2), opts.maskRows) : hidden;
      return tf.add(tf.matMul(input, this.w('fc2_kernel') as tf.Tensor2D), this.w('fc2_bias')) as tf.Tensor2D;
    });
  }

  /** Full network: [B,28,28,1] → logits [B,10]. */
  logits(x: tf.Tensor4D, opts: LeNetForwardOptions): tf.Tensor2D {
    return tf.tidy(() => {
      // Both dropout layers derive their masks from one seed (distinct salts), so a given seed
      // reproduces the whole stochastic pass.
      const seed = opts.training ? (opts.seed ?? this.rng.int(2147483647)) : undefined;
      const o: LeNetForwardOptions = { training: opts.training, seed, maskRows: opts.maskRows };
      return this.classify(this.hidden(this.trunk(x, { training: opts.training, blocks: opts.blocks }), o), o);
    });
  }

  /** C, the number of classes (the width of the last layer). */
  get numClasses(): number {
    return LENET_WEIGHT_SHAPES.fc2_kernel[1]!;
  }

  /** The width of the hidden features fed to the last layer (what ConfidNet learns from). */
  get hiddenSize(): number {
    return LENET_WEIGHT_SHAPES.fc2_kernel[0]!;
  }

  /**
   * One stochastic pass (dropout on, masks from `seed`) as N×C softmax probabilities: LeNet is a
   * `StochasticClassifier` of @rdl/uncertainty, so MC dropout wraps it like any other model.
   */
  sample(x: tf.Tensor4D, seed: number): Float32Array {
    const probs = tf.tidy(() => tf.softmax(this.logits(x, { training: true, seed })));
    const values = probs.dataSync() as Float32Array;
    probs.dispose();
    return values;
  }

  /**
   * Deterministic (dropout off) softmax probabilities from the hidden features (N×hiddenSize, as
   * `hiddenFeatures` returns them): the last layer on the host, in float64, so a caller that needs
   * both features and probabilities runs the convolutional trunk once. Rows sum to 1.
   */
  probsFromHidden(features: Float32Array, count: number): Float32Array {
    const hiddenSize = this.hiddenSize;
    const classes = this.numClasses;
    if (features.length !== count * hiddenSize) throw new Error(`probsFromHidden: ${features.length} features for ${count}×${hiddenSize}`);
    const kernel = this.w('fc2_kernel').dataSync();
    const bias = this.w('fc2_bias').dataSync();
    const out = new Float32Array(count * classes);
    const logits = new Float64Array(classes);
    for (let i = 0; i < count; i++) {
      for (let c = 0; c < classes; c++) logits[c] = bias[c]!;
      const base = i * hiddenSize;
      for (let j = 0; j < hiddenSize; j++) {
        const h = features[base + j]!;
        if (h === 0) continue; // post-ReLU: about half the features are exactly 0
        const row = j * classes;
        for (let c = 0; c < classes; c++) logits[c] += h * kernel[row + c]!;
      }
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, logits[c]!);
      let sum = 0;
      for (let c = 0; c < classes; c++) {
        logits[c] = Math.exp(logits[c]! - max);
        sum += logits[c]!;
      }
      for (let c = 0; c < classes; c++) out[i * classes + c] = logits[c]! / sum;
    }
    return out;
  }

  variables(): tf.Variable[] {
    return Object.keys(LENET_WEIGHT_SHAPES).map((name) => this.w(name));
  }

  getWeights(): LeNetWeights {
    const out: LeNetWeights = {};
    for (const name of Object.keys(LENET_WEIGHT_SHAPES)) {
      const v = this.w(name);
      out[name] = { shape: [...v.shape], values: new Float32Array(v.dataSync()) };
    }
    return out;
  }

  setWeights(w: LeNetWeights): void {
    for (const [name, shape] of Object.entries(LENET_WEIGHT_SHAPES)) {
      const entry = w[name];
      if (!entry) throw new Error(`setWeights: weight "${name}" is missing`);
      if (entry.shape.length !== shape.length || entry.shape.some((d, i) => d !== shape[i])) {
        throw new Error(`setWeights: weight "${name}" has shape [${entry.shape}], expected [${shape}]`);
      }
      const size = shape.reduce((a, b) => a * b, 1);
      if (entry.values.length !== size) {
        throw new Error(`setWeights: weight "${name}" has ${entry.values.length} values, expected ${size}`);
      }
    }
    for (const name of Object.keys(LENET_WEIGHT_SHAPES)) {
      const entry = w[name];
      tf.tidy(() => this.w(name).assign(tf.tensor(entry.values, entry.shape, 'float32')));
    }
  }

  dispose(): void {
    for (const v of this.weights.values()) v.dispose();
    this.weights.clear();
  }
}

let uid = 0;
