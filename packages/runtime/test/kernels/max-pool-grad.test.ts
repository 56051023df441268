// MaxPoolGrad on wasm against cpu: overlapping windows, padding and ties (first maximum wins).
import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { compare, onWasmAndCpu, randomValues, sizeOf } from './compare-with-cpu.js';

describe('MaxPoolGrad (wasm vs cpu)', () => {
  onWasmAndCpu();

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
