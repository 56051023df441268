/**
 * Seeded inverted-dropout masks. One mulberry32 stream fills a Float32Array with 0 or 1/(1-p);
 * this is several times faster than tf.dropout (alea + four tensor ops) and the same seed gives
 * the same mask on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';

export function dropoutMaskValues(size: number, rate: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  if (rate <= 0) return out.fill(1);
  const keep = 1 / (1 - rate);
  // Compare raw 32-bit draws with an integer threshold: no float division per element.
  const threshold = Math.floor(rate * 4294967296);
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) < threshold ? 0 : keep;
  }
  return out;
}

/** x * mask with a fresh seeded mask (identity when rate is 0). */
export function applyDropout<T extends tf.Tensor>(x: T, rate: number, seed: number): T {
  if (rate <= 0) return x.clone();
  const mask = tf.tensor(dropoutMaskValues(x.size, rate, seed), x.shape, 'float32');
  const y = tf.mul(x, mask) as T;
  mask.dispose();
  return y;
}
