/**
 * Single-thread LeNet work on one slice of images, run by the calling thread and by the worker
 * threads alike (see ../parallel/lenet-worker.ts), so every thread computes the same way.
 * Results are read with `await data()` outside any tidy: no leak, no synchronous copy.
 */
import * as tf from '@tensorflow/tfjs-core';
import { yieldToEventLoop } from '@rdl/runtime';
import type { LeNet } from '../nets/lenet.js';
import type { LeNetMcHead } from '../nets/lenet-blocks.js';
import { wasmSimdBlocks } from '../nets/lenet-kernels/wasm-simd-blocks.js';

export const IMAGE_SIZE = 784;
/** Width of LeNet's flattened conv output (4×4×50), the input of its first dropout. */
export const LENET_TRUNK_SIZE = 800;

/** Scales the images at `indices` to a [n,28,28,1] float tensor in [0, 1]. */
export function batchTensor(pixels: Uint8Array, indices: ArrayLike<number>): tf.Tensor4D {
  const n = indices.length;
  const values = new Float32Array(n * IMAGE_SIZE);
  const scale = 1 / 255;
  for (let i = 0; i < n; i++) {
    const src = indices[i] * IMAGE_SIZE;
    const dst = i * IMAGE_SIZE;
    for (let j = 0; j < IMAGE_SIZE; j++) values[dst + j] = pixels[src + j] * scale;
  }
  return tf.tensor4d(values, [n, 28, 28, 1], 'float32');
}

export function range(start: number, end: number): Int32Array {
  const out = new Int32Array(end - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}

/** The trunk outputs [end − start, 800] of images [start, end), dropout off. */
type InferenceTrunk = (start: number, end: number) => tf.Tensor2D;

/** Inference trunk through the wasm first block (`LeNetBlocks.inferFirst`) with `model`'s conv1 weights. */
async function inferenceTrunk(model: LeNet, pixels: Uint8Array): Promise<InferenceTrunk> {
  const [kernel, bias] = model.variables();
  const blocks = await wasmSimdBlocks();
  const k = (await kernel.data()) as Float32Array;
  const b = (await bias.data()) as Float32Array;
  return (start, end) => tf.tidy(() => model.trunkAfterFirstBlock(blocks.inferFirst(pixels, start, end - start, k, b)));
}

/** This thread's last MC head per model and pass count, with the fc tensors it was built from. */
const heads = new WeakMap<LeNet, Map<number, { from: object[]; head: LeNetMcHead }>>();

/**
 * An MC head for `model`'s current fc weights: reused while those weights are unchanged (a
 * variable's `assign` gives it a new data id), built again (≈ 3 ms) after a training step.
 */
async function headFor(model: LeNet, passes: number): Promise<LeNetMcHead> {
  const fc = model.variables().slice(4); // fc1 kernel, fc1 bias, fc2 kernel, fc2 bias
  const ids = fc.map((v) => v.dataId);
  let perModel = heads.get(model);
  if (!perModel) heads.set(model, (perModel = new Map()));
  const cached = perModel.get(passes);
  if (cached && cached.from.every((id, k) => id === ids[k])) return cached.head;
  const [fc1Kernel, fc1Bias, fc2Kernel, fc2Bias] = await Promise.all(fc.map(async (v) => (await v.data()) as Float32Array));
  const head = await (await wasmSimdBlocks()).mcHead({ fc1Kernel, fc1Bias, fc2Kernel, fc2Bias }, passes);
  perModel.set(passes, { from: ids, head });
  return head;
}

/**
 * Softmax probabilities with dropout off for the first `count` images: count×10. The head is
 * the MC head with one pass and rate 0 (all masks 1), which skips the trunk's zero features.
 */
export async function predictSlice(model: LeNet, pixels: Uint8Array, count: number, batchSize: number): Promise<Float32Array> {
  const out = new Float32Array(count * 10);
  const trunkOf = await inferenceTrunk(model, pixels);
  const head = await headFor(model, 1);
  const unusedSeeds = new Int32Array(Math.min(batchSize, count));
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    const trunk = trunkOf(start, end);
    const values = (await trunk.data()) as Float32Array;
    trunk.dispose();
    head.probs(values, end - start, 0, unusedSeeds, out, start, count);
  }
  return out;
}

/** The 800-d trunk outputs (conv blocks, flattened) with dropout off: count×800. */
export async function trunkSlice(model: LeNet, pixels: Uint8Array, count: number, batchSize: number): Promise<Float32Array> {
  const width = LENET_TRUNK_SIZE;
  const out = new Float32Array(count * width);
  const trunkOf = await inferenceTrunk(model, pixels);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    const trunk = trunkOf(start, end);
    out.set((await trunk.data()) as Float32Array, start * width);
    trunk.dispose();
    await yieldToEventLoop();
  }
  return out;
}

/** The 500-d post-ReLU hidden features with dropout off: count×500. */
export async function hiddenSlice(model: LeNet, pixels: Uint8Array, count: number, batchSize: number): Promise<Float32Array> {
  const out = new Float32Array(count * 500);
  const trunk = await inferenceTrunk(model, pixels);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    const h = tf.tidy(() => model.hidden(trunk(start, end), { training: false }));
    out.set(await h.data(), start * 500);
    h.dispose();
  }
  return out;
}

/**
 * MC dropout for the first `count` images, one seed per image: T×count×10, pass-major. The trunk
 * runs once per image, the stochastic head T times (see `LeNetMcHead`).
 */
export async function mcSlice(
  model: LeNet,
  pixels: Uint8Array,
  count: number,
  passes: number,
  batchSize: number,
  seeds: Int32Array,
): Promise<Float32Array> {
  const out = new Float32Array(passes * count * 10);
  const trunkOf = await inferenceTrunk(model, pixels);
  const head = await headFor(model, passes);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    const trunk = trunkOf(start, end);
    const values = (await trunk.data()) as Float32Array;
    trunk.dispose();
    head.probs(values, end - start, model.config.dropout, seeds.subarray(start, end), out, start, count);
    await yieldToEventLoop();
  }
  return out;
}

export interface GradientPart {
  /** This part's share of the batch's mean loss (Σ over its rows / batch size). */
  loss: number;
  /** d(loss part)/d(variable), in `model.variables()` order. */
  grads: tf.Tensor[];
}

/**
 * Gradients of rows [offset, offset + indices.length) of a training batch of `total` images:
 * the parts of one batch sum to the batch's mean-loss gradient, with the same dropout masks as
 * a single-thread step (masks are drawn for the whole batch from `seed`).
 */
export async function gradientPart(
  model: LeNet,
  pixels: Uint8Array,
  labels: Uint8Array,
  indices: ArrayLike<number>,
  offset: number,
  total: number,
  seed: number,
): Promise<GradientPart> {
  const n = indices.length;
  const classes = new Int32Array(n);
  for (let i = 0; i < n; i++) classes[i] = labels[indices[i]];
  const x = batchTensor(pixels, indices);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(classes, 'int32'), 10));
  const blocks = await wasmSimdBlocks();
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.logits(x, { training: true, seed, maskRows: { offset, total }, blocks });
    const summed = tf.losses.softmaxCrossEntropy(y, logits, undefined, 0, tf.Reduction.SUM);
    return tf.div(summed, total) as tf.Scalar;
  }, model.variables());
  tf.dispose([x, y]);
  const loss = (await value.data())[0];
  value.dispose();
  return { loss, grads: model.variables().map((v) => grads[v.name]) };
}
