/**
 * Seeded inverted-dropout masks. One mulberry32 stream fills a Float32Array with 0 or 1/(1-p):
 * each 32-bit draw gives two masks (16 bits each, so the rate is applied in steps of 1/65536),
 * selected without a branch. This is several times faster than tf.dropout (alea + four tensor
 * ops) and the same seed gives the same mask on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Fills `out` with a seeded dropout mask of the given rate; returns `out`. */
export function fillDropoutMask(out: Float32Array, rate: number, seed: number): Float32Array {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return out.fill(1);
  const threshold = Math.round(rate * 65536);
  // Index 0 when the 16-bit draw is ≥ threshold (kept), 1 when below (dropped).
  const select = new Float32Array([1 / (1 - rate), 0]);
  let state = (Math.trunc(seed) ^ 0x9e3779b9) | 0;
  const size = out.length;
  for (let i = 0; i < size; i += 2) {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    t ^= t >>> 14;
    out[i] = select[((t & 0xffff) - threshold) >>> 31];
    if (i + 1 < size) out[i + 1] = select[((t >>> 16) - threshold) >>> 31];
  }
  return out;
}

export function dropoutMaskValues(size: number, rate: number, seed: number): Float32Array {
  return fillDropoutMask(new Float32Array(size), rate, seed);
}

/**
 * Rows [offset, offset + n) of a batch of `total` rows: a data-parallel worker holding part of a
 * batch draws the whole batch's mask and keeps its rows, so any split gives the same masks.
 */
export interface MaskRows {
  offset: number;
  total: number;
}

/** x * mask with a fresh seeded mask (identity when rate is 0); x is [rows, ...]. */
export function applyDropout<T extends tf.Tensor>(x: T, rate: number, seed: number, rows?: MaskRows): T {
  if (rate <= 0) return x.clone();
  let values: Float32Array;
  if (rows === undefined) values = dropoutMaskValues(x.size, rate, seed);
  else {
    const perRow = x.size / x.shape[0];
    if (rows.offset < 0 || rows.offset + x.shape[0] > rows.total) {
      throw new Error(`mask rows [${rows.offset}, ${rows.offset + x.shape[0]}) fall outside a batch of ${rows.total}`);
    }
    values = dropoutMaskValues(rows.total * perRow, rate, seed).subarray(rows.offset * perRow, (rows.offset + x.shape[0]) * perRow);
  }
  const mask = tf.tensor(values, x.shape, 'float32');
  const y = tf.mul(x, mask) as T;
  mask.dispose();
  return y;
}
