import { parseOptions } from '@rdl/core';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradients; the tfjs-layers bundle registers them all in the
// global registry on import (as @rdl/models does). tf.grad / optimizer.minimize need them.
import '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { makeScore, type Score } from '@rdl/core';

/**
 * ODIN (Liang, Li & Srikant, ICLR 2018): OOD detection by temperature-scaled max softmax on an
 * input nudged towards higher confidence. In-distribution inputs gain more from the nudge than
 * OOD ones, which widens the gap between the two.
 *
 *   ŷ = argmax f(x);  x̃ = x − ε·sign(−∇ₓ log S_ŷ(x; T)) = x + ε·sign(∇ₓ log S_ŷ(x; T));
 *   score = max_c S_c(x̃; T), S(x; T) = softmax(f(x)/T).
 *
 * The score is a confidence: higher = more in-distribution. T = 1, ε = 0 is exactly MCP.
 */

/** The classifier's logits with dropout OFF (e.g. `x => model.logits(x, { training: false })`). */
export type LogitsFn = (x: tf.Tensor4D) => tf.Tensor2D;

/**
 * Images kept as raw bytes and converted one batch at a time, so 10k MNIST images never sit in
 * memory as a float tensor. `toTensor` receives the batch's bytes (count × bytes per image) and
 * returns the model input (normalised as the model expects).
 */
export interface PixelBatches {
  pixels: Uint8Array;
  count: number;
  toTensor: (pixels: Uint8Array, count: number) => tf.Tensor4D;
}

export type ImageSource = tf.Tensor4D | PixelBatches;

export interface OdinOptions {
  /** T, default 1000 (the paper's choice). */
  temperature?: number;
  /** ε, default 0.0014, in pixel units (see `inputStd`). */
  epsilon?: number;
  /** Images per forward/backward pass, default 256. */
  batchSize?: number;
  /**
   * Standard deviation used to normalise the input (x_model = (x_pixel − μ)/σ), default 1. The
   * step applied to the model input is ε/σ, so ε keeps the paper's meaning of a perturbation of
   * pixels in [0, 1], as the reference implementation does by dividing the gradient by σ.
   */
  inputStd?: number;
}

const positive = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .finite(`${field} must be finite`)
    .positive(`${field} must be > 0`);
const nonNegative = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .finite(`${field} must be finite`)
    .min(0, `${field} must be ≥ 0`);

const optionsSchema = z.object({
  temperature: positive('temperature').default(1000),
  epsilon: nonNegative('epsilon').default(0.0014),
  batchSize: z.number().int('batchSize must be an integer').positive('batchSize must be > 0').default(256),
  inputStd: positive('inputStd').default(1),
});

function sourceCount(source: ImageSource): number {
  if (source instanceof tf.Tensor) {
    if (source.rank !== 4) throw new Error(`images must be a rank-4 tensor [N, H, W, C], got rank ${source.rank}`);
    return source.shape[0];
  }
  const { pixels, count } = source;
  if (!Number.isInteger(count) || count < 0) throw new Error(`images.count must be a non-negative integer, got ${count}`);
  if (count > 0 && pixels.length % count !== 0) {
    throw new Error(`images.pixels has length ${pixels.length}, not a multiple of images.count = ${count}`);
  }
  return count;
}

/** Batch [start, end) as a tensor the caller must dispose. */
function batchTensor(source: ImageSource, start: number, end: number): tf.Tensor4D {
  if (source instanceof tf.Tensor) {
    const [, h, w, c] = source.shape;
    return tf.slice(source, [start, 0, 0, 0], [end - start, h, w, c]);
  }
  const perImage = source.pixels.length / source.count;
  return source.toTensor(source.pixels.subarray(start * perImage, end * perImage), end - start);
}

/**
 * ODIN scores at one temperature for several ε at once: the input gradient is computed once per
 * batch and reused for every ε. Returns one Float32Array per ε.
 */
export async function odinScoresForEpsilons(
  logitsFn: LogitsFn,
  images: ImageSource,
  temperature: number,
  epsilons: readonly number[],
  options: { batchSize?: number; inputStd?: number } = {},
): Promise<Float32Array[]> {
  const { batchSize, inputStd } = parseOptions(optionsSchema, { ...options, temperature }, 'odin');
  epsilons.forEach((eps, k) => parseOptions(nonNegative(`epsilons[${k}]`), eps, 'odin'));
  const count = sourceCount(images);
  const out = epsilons.map(() => new Float32Array(count));
  const needGradient = epsilons.some((eps) => eps > 0);

  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    const x = batchTensor(images, start, end);
    const stacked = tf.tidy(() => {
      const maxSoftmax = (input: tf.Tensor4D): tf.Tensor1D => tf.max(tf.softmax(tf.div(logitsFn(input), temperature)), 1) as tf.Tensor1D;
      const logits = logitsFn(x);
      let direction: tf.Tensor4D | undefined;
      if (needGradient) {
        // ŷ is fixed from the clean input; only then do we differentiate log S_ŷ w.r.t. x. The
        // batch sum is fine since samples do not interact (no batch statistics in inference).
        const target = tf.oneHot(tf.argMax(logits, 1), logits.shape[1]);
        const gradient = tf.grad((input: tf.Tensor) =>
          tf.sum(tf.mul(tf.logSoftmax(tf.div(logitsFn(input as tf.Tensor4D), temperature)), target)),
        )(x);
        direction = tf.sign(gradient) as tf.Tensor4D;
      }
      const rows = epsilons.map((eps) => {
        if (eps === 0 || direction === undefined) {
          return tf.max(tf.softmax(tf.div(logits, temperature)), 1);
        }
        return maxSoftmax(tf.add(x, tf.mul(direction, eps / inputStd)));
      });
      return tf.stack(rows);
    });
    x.dispose();
    const values = (await stacked.data()) as Float32Array;
    stacked.dispose();
    const n = end - start;
    for (let k = 0; k < epsilons.length; k++) out[k].set(values.subarray(k * n, (k + 1) * n), start);
  }
  return out;
}

/** ODIN score per image; higher = more confident (more in-distribution). */
export async function odinScores(logitsFn: LogitsFn, images: ImageSource, options: OdinOptions = {}): Promise<Score<Float32Array>> {
  const { temperature, epsilon, batchSize, inputStd } = parseOptions(optionsSchema, options, 'odin');
  const [values] = await odinScoresForEpsilons(logitsFn, images, temperature, [epsilon], { batchSize, inputStd });
  return makeScore('odin', values, 'higher-is-more-confident');
}

/** The grid Liang et al. search, temperatures outer; `ODIN_SPACE` (methods/odin.ts) is this grid typed. */
export const ODIN_DEFAULT_TEMPERATURES: readonly number[] = [1, 10, 100, 1000];
export const ODIN_DEFAULT_EPSILONS: readonly number[] = [0, 0.0005, 0.001, 0.0014, 0.002, 0.005];
