// Conv2DBackpropFilter on wasm against cpu, in both formulations (im2col and batch-as-channels).
import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setIm2colMaxChannels } from '@rdl/runtime/testing';
import { compare, convCases, convTolerance, label, onWasmAndCpu, outShape, randomValues, sizeOf } from './compare-with-cpu.js';

describe('Conv2DBackpropFilter (wasm vs cpu)', () => {
  onWasmAndCpu();

  for (const [i, c] of convCases.entries()) {
    for (const mode of ['im2col', 'batch-as-channels conv'] as const) {
      it(`Conv2DBackpropFilter (${mode}) ${label(c)}`, () => {
        setIm2colMaxChannels(mode === 'im2col' ? Infinity : 0);
        const dyShape = outShape(c);
        const filterShape = [c.k[0], c.k[1], c.x[3], c.cout] as [number, number, number, number];
        const err = compare(
          [
            { values: randomValues(sizeOf(c.x), 10 + i), shape: c.x },
            { values: randomValues(sizeOf(dyShape), 100 + i), shape: dyShape },
          ],
          (x, dy) =>
            tf
              .engine()
              .runKernel(
                'Conv2DBackpropFilter',
                { x, dy },
                { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', filterShape },
              ) as tf.Tensor,
          convTolerance,
        );
        setIm2colMaxChannels(4);
        console.log(`Conv2DBackpropFilter (${mode}) ${label(c)} max abs error ${err.toExponential(2)}`);
      });
    }
  }
});
