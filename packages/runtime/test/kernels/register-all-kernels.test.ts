// The kernel list: initBackend registers every kernel in it on wasm, once.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from '../../src/index.js';

describe('registerWasmTrainingKernels', () => {
  it('registers every listed kernel on wasm, idempotently', async () => {
    const info = await initBackend({ backend: 'wasm', quiet: true });
    expect(info.registeredKernels).toEqual([...WASM_TRAINING_KERNELS]);
    expect([...WASM_TRAINING_KERNELS].sort()).toEqual(['BatchMatMul', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad']);
    const registered = WASM_TRAINING_KERNELS.map((name) => tf.getKernel(name, 'wasm')?.kernelFunc);
    expect(registerWasmTrainingKernels()).toEqual([...WASM_TRAINING_KERNELS]);
    // A second call must not wrap rdl's BatchMatMul in itself.
    expect(WASM_TRAINING_KERNELS.map((name) => tf.getKernel(name, 'wasm')?.kernelFunc)).toEqual(registered);
    expect(tf.matMul(tf.tensor2d([1, 2], [1, 2]), tf.tensor2d([3, 4], [1, 2]), false, true).dataSync()[0]).toBe(11);
  });
});
