/**
 * The single-thread work of training a confidence branch (ConfidNet's MLP) on a frozen LeNet, run
 * by the calling thread and by the worker threads alike (../parallel/lenet-worker.ts), so every
 * thread computes the same way. The branch learns MSE(σ(z), TCP).
 *
 * Two sources of (branch input, TCP) rows:
 * - `lenet-head`: the frozen LeNet head in training mode, as ConfidNet's authors run it: each batch
 *   draws fresh dropout masks (seeded by batch, the whole batch's masks drawn on every thread so
 *   any split gives the same masks), dropout → fc1 → ReLU → dropout gives the branch input, and
 *   fc2 → softmax of that same pass gives the TCP target. Only the 800-d trunk output is stored.
 * - `features`: fixed inputs and TCP targets (a deterministic pass computed by the caller).
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@rdl/core';
import type { McHeadWeights } from '../nets/lenet-blocks.js';
import { fillDropoutMask } from '../nets/lenet-dropout.js';

/** One dense layer of the branch. */
export interface BranchLayer {
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D;
}

/** The branch's pre-sigmoid output z [B]: ReLU between layers, linear last layer. Callers tidy. */
export function branchLogit(layers: readonly BranchLayer[], input: tf.Tensor2D): tf.Tensor1D {
  let h: tf.Tensor2D = input;
  layers.forEach(({ kernel, bias }, k) => {
    const z = tf.add(tf.matMul(h, kernel), bias) as tf.Tensor2D;
    h = k + 1 < layers.length ? tf.relu(z) : z;
  });
  return tf.reshape(h, [h.shape[0]]) as tf.Tensor1D;
}

/** Rows the branch learns from: LeNet's trunk with its frozen head, or fixed features. */
export type BranchSource =
  | {
      kind: 'lenet-head';
      /** N×800 trunk outputs (dropout off), row-major. */
      trunk: Float32Array;
      /** N true classes. */
      labels: Uint8Array;
      head: McHeadWeights;
      /** Dropout rate of both of the head's dropouts while the branch trains; 0 = dropout off. */
      dropout: number;
    }
  | {
      kind: 'features';
      /** N×D branch inputs, row-major. */
      features: Float32Array;
      /** N TCP targets. */
      tcp: Float32Array;
    };

/** Number of rows and branch input width of a source. */
export function branchSourceShape(source: BranchSource): { count: number; inputSize: number } {
  if (source.kind === 'features') {
    const count = source.tcp.length;
    if (count === 0 || source.features.length % count !== 0) {
      throw new Error(`branch source: features has ${source.features.length} values, not a multiple of tcp.length = ${count}`);
    }
    return { count, inputSize: source.features.length / count };
  }
  const hidden = source.head.fc1Bias.length;
  const trunkSize = source.head.fc1Kernel.length / hidden;
  const count = source.labels.length;
  if (count === 0 || source.trunk.length !== count * trunkSize) {
    throw new Error(`branch source: trunk has ${source.trunk.length} values, expected ${count} labels × ${trunkSize}`);
  }
  if (!(source.dropout >= 0 && source.dropout < 1)) throw new Error(`branch source: dropout must be in [0, 1), got ${source.dropout}`);
  return { count, inputSize: hidden };
}

/** The tensors a thread keeps for a source: the frozen head's weights. */
export interface PreparedSource {
  source: BranchSource;
  inputSize: number;
  head?: { fc1Kernel: tf.Tensor2D; fc1Bias: tf.Tensor1D; fc2Kernel: tf.Tensor2D; fc2Bias: tf.Tensor1D };
}

export function prepareSource(source: BranchSource): PreparedSource {
  const { inputSize } = branchSourceShape(source);
  if (source.kind === 'features') return { source, inputSize };
  const { fc1Kernel, fc1Bias, fc2Kernel, fc2Bias } = source.head;
  const hidden = fc1Bias.length;
  const classes = fc2Bias.length;
  return {
    source,
    inputSize,
    head: {
      fc1Kernel: tf.tensor2d(fc1Kernel, [fc1Kernel.length / hidden, hidden]),
      fc1Bias: tf.tensor1d(fc1Bias),
      fc2Kernel: tf.tensor2d(fc2Kernel, [hidden, classes]),
      fc2Bias: tf.tensor1d(fc2Bias),
    },
  };
}

export function disposeSource(prepared: PreparedSource): void {
  if (prepared.head) tf.dispose(Object.values(prepared.head));
}

function gatherRows(values: Float32Array, width: number, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * width);
  for (let i = 0; i < indices.length; i++) out.set(values.subarray(indices[i] * width, (indices[i] + 1) * width), i * width);
  return out;
}

/** Rows [offset, offset + n) of a seeded mask drawn for a whole batch of `total` rows. */
function maskRows(width: number, rate: number, seed: number, offset: number, n: number, total: number): tf.Tensor2D {
  const mask = fillDropoutMask(new Float32Array(total * width), rate, seed);
  return tf.tensor2d(mask.subarray(offset * width, (offset + n) * width), [n, width]);
}

/**
 * The branch input [n, D] and TCP [n] of rows `indices`, which are rows [offset, offset + n) of a
 * batch of `total` whose dropout masks `seed` draws (LeNet's mask streams 'lenet/dropout-1/2').
 */
export function branchBatch(
  prepared: PreparedSource,
  indices: ArrayLike<number>,
  offset: number,
  total: number,
  seed: number,
): { input: tf.Tensor2D; tcp: tf.Tensor1D } {
  const { source } = prepared;
  const n = indices.length;
  if (source.kind === 'features') {
    const tcp = new Float32Array(n);
    for (let i = 0; i < n; i++) tcp[i] = source.tcp[indices[i]];
    return { input: tf.tensor2d(gatherRows(source.features, prepared.inputSize, indices), [n, prepared.inputSize]), tcp: tf.tensor1d(tcp) };
  }
  const head = prepared.head!;
  const trunkSize = head.fc1Kernel.shape[0];
  const hidden = head.fc1Kernel.shape[1];
  const classes = head.fc2Kernel.shape[1];
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = source.labels[indices[i]];
  return tf.tidy(() => {
    let x: tf.Tensor2D = tf.tensor2d(gatherRows(source.trunk, trunkSize, indices), [n, trunkSize]);
    if (source.dropout > 0) x = tf.mul(x, maskRows(trunkSize, source.dropout, deriveSeed(seed, 'lenet/dropout-1'), offset, n, total));
    let h = tf.relu(tf.add(tf.matMul(x, head.fc1Kernel), head.fc1Bias)) as tf.Tensor2D;
    if (source.dropout > 0) h = tf.mul(h, maskRows(hidden, source.dropout, deriveSeed(seed, 'lenet/dropout-2'), offset, n, total));
    const probs = tf.softmax(tf.add(tf.matMul(h, head.fc2Kernel), head.fc2Bias));
    const tcp = tf.sum(tf.mul(probs, tf.oneHot(tf.tensor1d(labels, 'int32'), classes)), 1) as tf.Tensor1D;
    return { input: h, tcp };
  });
}

/** Flat branch parameters, kernel then bias per layer: [in₀·out₀, out₀, in₁·out₁, out₁, …]. */
export function branchLayers(weights: readonly Float32Array[], sizes: readonly number[]): BranchLayer[] {
  if (weights.length !== 2 * (sizes.length - 1)) throw new Error(`branch: ${weights.length} weight arrays for ${sizes.length - 1} layers`);
  const layers: BranchLayer[] = [];
  for (let k = 0; k + 1 < sizes.length; k++) {
    layers.push({ kernel: tf.tensor2d(weights[2 * k], [sizes[k], sizes[k + 1]]), bias: tf.tensor1d(weights[2 * k + 1]) });
  }
  return layers;
}

export interface BranchGradientPart {
  /** This part's share of the batch's mean loss (Σ over its rows / batch size). */
  loss: number;
  /** Gradients in the order of the flat parameters. */
  grads: Float32Array[];
}

/** Gradient of rows [offset, offset + n) of a batch of `total`: the parts of a batch sum to its mean-loss gradient. */
export async function branchGradientPart(
  prepared: PreparedSource,
  weights: readonly Float32Array[],
  sizes: readonly number[],
  indices: ArrayLike<number>,
  offset: number,
  total: number,
  seed: number,
): Promise<BranchGradientPart> {
  const { input, tcp } = branchBatch(prepared, indices, offset, total, seed);
  const params = branchLayers(weights, sizes).flatMap(({ kernel, bias }) => [kernel, bias]);
  const { value, grads } = tf.valueAndGrads((...p: tf.Tensor[]) => {
    const layers: BranchLayer[] = [];
    for (let k = 0; k < p.length; k += 2) layers.push({ kernel: p[k] as tf.Tensor2D, bias: p[k + 1] as tf.Tensor1D });
    return tf.div(tf.sum(tf.square(tf.sub(tf.sigmoid(branchLogit(layers, input)), tcp))), total) as tf.Scalar;
  })(params);
  tf.dispose([input, tcp, ...params]);
  const loss = (await value.data())[0];
  value.dispose();
  const out = await Promise.all(grads.map(async (g) => Float32Array.from((await g.data()) as Float32Array)));
  tf.dispose(grads);
  return { loss, grads: out };
}
