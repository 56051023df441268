/**
 * What the kernel tests share: each kernel rdl registers on the wasm backend is compared with
 * the reference `cpu` backend on seeded random inputs (odd sizes, batch 1 and >1, stride 1 and
 * 2, 'valid' and 'same').
 *
 * Tolerance: both backends accumulate in float32 but in different orders (XNNPACK blocks and
 * reorders the reduction), so each output may differ by about (number of summed terms) × 2^-24 ×
 * (magnitude of the terms). With inputs in [-1, 1] and at most a few hundred terms per output
 * that is ~1e-5 absolute; we allow 1e-4 × (1 + max |reference|). A wrong index or padding gives
 * errors of order 0.1–1, far above this. MaxPoolGrad only routes values (sums of ≤ 4 terms
 * where windows overlap), so it gets 1e-6.
 */
import { beforeAll, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@rdl/core';
import { initBackend } from '../../src/index.js';

/** Seeded uniform values in [-1, 1). */
export function randomValues(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.uniform(-1, 1);
  return out;
}

export const sizeOf = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/** Runs `f` on a backend with fresh tensors built from the given arrays; returns the values. */
export function runOn(
  backend: 'cpu' | 'wasm',
  inputs: { values: Float32Array; shape: number[] }[],
  f: (...t: tf.Tensor[]) => tf.Tensor,
): { values: Float32Array; shape: number[] } {
  tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const ts = inputs.map((i) => tf.tensor(i.values, i.shape, 'float32'));
  const out = f(...ts);
  const result = { values: new Float32Array(out.dataSync()), shape: [...out.shape] };
  tf.dispose([...ts, out]);
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

export function compare(
  inputs: { values: Float32Array; shape: number[] }[],
  f: (...t: tf.Tensor[]) => tf.Tensor,
  tolerance: (refMax: number) => number,
): number {
  const ref = runOn('cpu', inputs, f);
  const got = runOn('wasm', inputs, f);
  expect(got.shape).toEqual(ref.shape);
  let maxErr = 0;
  let refMax = 0;
  for (let i = 0; i < ref.values.length; i++) {
    maxErr = Math.max(maxErr, Math.abs(ref.values[i] - got.values[i]));
    refMax = Math.max(refMax, Math.abs(ref.values[i]));
  }
  expect(Number.isFinite(maxErr)).toBe(true);
  expect(maxErr).toBeLessThanOrEqual(tolerance(refMax));
  return maxErr;
}

export const convTolerance = (refMax: number): number => 1e-4 * (1 + refMax);

export interface ConvCase {
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  stride: number;
  pad: 'valid' | 'same';
}

export const convCases: ConvCase[] = [];
for (const stride of [1, 2]) {
  for (const pad of ['valid', 'same'] as const) {
    convCases.push({ x: [1, 7, 9, 3], k: [3, 3], cout: 4, stride, pad });
    convCases.push({ x: [3, 12, 11, 2], k: [5, 4], cout: 5, stride, pad });
    convCases.push({ x: [4, 10, 10, 1], k: [2, 2], cout: 3, stride, pad });
  }
}
// The LeNet shapes (smaller batch).
convCases.push({ x: [8, 28, 28, 1], k: [5, 5], cout: 20, stride: 1, pad: 'valid' });
convCases.push({ x: [8, 12, 12, 20], k: [5, 5], cout: 50, stride: 1, pad: 'valid' });

export const label = (c: ConvCase): string => `x=[${c.x}] k=${c.k.join('x')} cout=${c.cout} stride=${c.stride} ${c.pad}`;

export function outShape(c: ConvCase): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, [c.k[0], c.k[1], c.x[3], c.cout], c.stride, 1, c.pad);
  return info.outShape;
}

/** Starts the wasm backend with rdl's kernels, and loads the cpu backend to compare with. */
export function onWasmAndCpu(): void {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
    await import('@tensorflow/tfjs-backend-cpu');
  });
}
