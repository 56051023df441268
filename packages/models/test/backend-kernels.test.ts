/**
 * Every kernel rdl registers on the wasm backend, compared with the reference `cpu` backend on
 * seeded random inputs (odd sizes, batch 1 and >1, stride 1 and 2, 'valid' and 'same').
 *
 * Tolerance: both backends accumulate in float32 but in different orders (XNNPACK blocks and
 * reorders the reduction), so each output may differ by about (number of summed terms) × 2^-24 ×
 * (magnitude of the terms). With inputs in [-1, 1] and at most a few hundred terms per output
 * that is ~1e-5 absolute; we allow 1e-4 × (1 + max |reference|). A wrong index or padding gives
 * errors of order 0.1–1, far above this. MaxPoolGrad only routes values (sums of ≤ 4 terms
 * where windows overlap), so it gets 1e-6.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@rdl/data';
import { initBackend, setIm2colMaxChannels, WASM_TRAINING_KERNELS } from '../src/index.js';

function randomValues(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.uniform(-1, 1);
  return out;
}

const sizeOf = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/** Runs `f` on a backend with fresh tensors built from the given arrays; returns the values. */
function runOn(backend: 'cpu' | 'wasm', inputs: { values: Float32Array; shape: number[] }[], f: (...t: tf.Tensor[]) => tf.Tensor): { values: Float32Array; shape: number[] } {
  tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const ts = inputs.map((i) => tf.tensor(i.values, i.shape, 'float32'));
  const out = f(...ts);
  const result = { values: new Float32Array(out.dataSync()), shape: [...out.shape] };
  tf.dispose([...ts, out]);
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

function compare(
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

const convTolerance = (refMax: number): number => 1e-4 * (1 + refMax);

interface ConvCase {
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  stride: number;
  pad: 'valid' | 'same';
}

const convCases: ConvCase[] = [];
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

const label = (c: ConvCase): string => `x=[${c.x}] k=${c.k.join('x')} cout=${c.cout} stride=${c.stride} ${c.pad}`;

function outShape(c: ConvCase): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, [c.k[0], c.k[1], c.x[3], c.cout], c.stride, 1, c.pad);
  return info.outShape;
}

describe('rdl wasm kernels vs cpu', () => {
  beforeAll(async () => {
    const info = await initBackend({ backend: 'wasm' });
    expect(info.registeredKernels).toEqual([...WASM_TRAINING_KERNELS]);
    await import('@tensorflow/tfjs-backend-cpu');
  });

  for (const [i, c] of convCases.entries()) {
    for (const mode of ['im2col', 'batch-as-channels conv'] as const) it(`Conv2DBackpropFilter (${mode}) ${label(c)}`, () => {
      setIm2colMaxChannels(mode === 'im2col' ? Infinity : 0);
      const dyShape = outShape(c);
      const filterShape = [c.k[0], c.k[1], c.x[3], c.cout] as [number, number, number, number];
      const err = compare(
        [
          { values: randomValues(sizeOf(c.x), 10 + i), shape: c.x },
          { values: randomValues(sizeOf(dyShape), 100 + i), shape: dyShape },
        ],
        (x, dy) =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', filterShape }) as tf.Tensor,
        convTolerance,
      );
      setIm2colMaxChannels(4);
      console.log(`Conv2DBackpropFilter (${mode}) ${label(c)} max abs error ${err.toExponential(2)}`);
    });

    it(`Conv2DBackpropInput ${label(c)}`, () => {
      const dyShape = outShape(c);
      const filterShape = [c.k[0], c.k[1], c.x[3], c.cout];
      const err = compare(
        [
          { values: randomValues(sizeOf(dyShape), 200 + i), shape: dyShape },
          { values: randomValues(sizeOf(filterShape), 300 + i), shape: filterShape },
        ],
        (dy, filter) =>
          tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }) as tf.Tensor,
        convTolerance,
      );
      console.log(`Conv2DBackpropInput ${label(c)} max abs error ${err.toExponential(2)}`);
    });
  }

  it('Conv2DBackpropInput gives new values for a geometry seen before (cached scatter indices)', () => {
    for (const [j, c] of [convCases[1], convCases[4], convCases[1], convCases[4]].entries()) {
      const dyShape = outShape(c);
      const filterShape = [c.k[0], c.k[1], c.x[3], c.cout];
      const seed = 900 + 10 * j;
      compare(
        [
          { values: randomValues(sizeOf(dyShape), seed), shape: dyShape },
          { values: randomValues(sizeOf(filterShape), seed + 1), shape: filterShape },
        ],
        (dy, filter) =>
          tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }) as tf.Tensor,
        convTolerance,
      );
    }
  });

  const matCases: { a: number[]; b: number[]; tA: boolean; tB: boolean }[] = [
    { a: [7, 13], b: [13, 5], tA: false, tB: false },
    { a: [13, 7], b: [13, 5], tA: true, tB: false },
    { a: [7, 13], b: [5, 13], tA: false, tB: true },
    { a: [13, 7], b: [5, 13], tA: true, tB: true },
    { a: [1, 33], b: [17, 33], tA: false, tB: true },
    { a: [3, 9, 4], b: [3, 9, 6], tA: true, tB: false },
    { a: [2, 4, 9], b: [2, 6, 9], tA: false, tB: true },
    // b much larger than a: computed as (b·aᵀ)ᵀ, batched and with a broadcast batch.
    { a: [2, 3, 8], b: [2, 16, 8], tA: false, tB: true },
    { a: [1, 2, 9], b: [3, 20, 9], tA: false, tB: true },
  ];
  for (const [i, m] of matCases.entries()) {
    it(`BatchMatMul a=[${m.a}] b=[${m.b}] transposeA=${m.tA} transposeB=${m.tB}`, () => {
      const err = compare(
        [
          { values: randomValues(sizeOf(m.a), 400 + i), shape: m.a },
          { values: randomValues(sizeOf(m.b), 500 + i), shape: m.b },
        ],
        (a, b) => tf.matMul(a, b, m.tA, m.tB),
        convTolerance,
      );
      console.log(`BatchMatMul case ${i} max abs error ${err.toExponential(2)}`);
    });
  }

  const poolCases: { x: [number, number, number, number]; size: number; stride: number; pad: 'valid' | 'same'; ties: boolean }[] = [
    { x: [1, 8, 8, 3], size: 2, stride: 2, pad: 'valid', ties: false },
    { x: [2, 9, 7, 3], size: 2, stride: 2, pad: 'valid', ties: false }, // odd: last row/column unused
    { x: [3, 9, 7, 2], size: 2, stride: 2, pad: 'same', ties: false },
    { x: [2, 9, 9, 4], size: 3, stride: 2, pad: 'same', ties: false },
    { x: [2, 10, 7, 3], size: 3, stride: 1, pad: 'valid', ties: false },
    // ReLU-like inputs: many exact zeros, so the first-maximum rule matters.
    { x: [2, 8, 8, 5], size: 2, stride: 2, pad: 'valid', ties: true },
    { x: [2, 9, 9, 2], size: 3, stride: 2, pad: 'same', ties: true },
  ];
  for (const [i, p] of poolCases.entries()) {
    it(`MaxPoolGrad x=[${p.x}] size=${p.size} stride=${p.stride} ${p.pad}${p.ties ? ' with ties' : ''}`, () => {
      const xv = randomValues(sizeOf(p.x), 600 + i);
      if (p.ties) for (let j = 0; j < xv.length; j++) xv[j] = Math.max(0, Math.round(xv[j] * 2) / 2);
      const yShape = tf.backend_util.computePool2DInfo(p.x, p.size, p.stride, 1, p.pad).outShape;
      const err = compare(
        [
          { values: xv, shape: p.x },
          { values: randomValues(sizeOf(yShape), 700 + i), shape: yShape },
        ],
        (x, dy) => tf.grad((xx: tf.Tensor) => tf.maxPool(xx as tf.Tensor4D, p.size, p.stride, p.pad))(x, dy),
        () => 1e-6,
      );
      console.log(`MaxPoolGrad case ${i} max abs error ${err.toExponential(2)}`);
    });
  }
});
