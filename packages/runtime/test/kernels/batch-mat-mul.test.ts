// BatchMatMul on wasm against cpu: transposed, batched and broadcast operands.
import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { compare, convTolerance, onWasmAndCpu, randomValues, sizeOf } from './compare-with-cpu.js';

describe('BatchMatMul (wasm vs cpu)', () => {
  onWasmAndCpu();

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
});
