// Conv2DBackpropInput on wasm against cpu, including a geometry seen before (cached indices).
import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { compare, convCases, convTolerance, label, onWasmAndCpu, outShape, randomValues, sizeOf } from './compare-with-cpu.js';

describe('Conv2DBackpropInput (wasm vs cpu)', () => {
  onWasmAndCpu();

  for (const [i, c] of convCases.entries()) {
    it(`Conv2DBackpropInput ${label(c)}`, () => {
      const dyShape = outShape(c);
      const filterShape = [c.k[0], c.k[1], c.x[3], c.cout];
      const err = compare(
        [
          { values: randomValues(sizeOf(dyShape), 200 + i), shape: dyShape },
          { values: randomValues(sizeOf(filterShape), 300 + i), shape: filterShape },
        ],
        (dy, filter) =>
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropInput',
              { dy, filter },
              { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', inputShape: c.x },
            ) as tf.Tensor,
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
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropInput',
              { dy, filter },
              { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', inputShape: c.x },
            ) as tf.Tensor,
        convTolerance,
      );
    }
  });
});
