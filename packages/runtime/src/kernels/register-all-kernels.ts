/**
 * rdl's training kernels for the wasm backend, one file each, registered from this one list
 * (as tfjs-backend-wasm's own register_all_kernels.ts). They are built from kernels wasm runs
 * fast (XNNPACK Conv2D and matMul, Transpose, ScatterNd, Slice) instead of JavaScript loops;
 * each is compared with the cpu backend in test/kernels/.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchMatMulKernel } from './batch-mat-mul.js';
import { conv2DBackpropFilterKernel } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputKernel } from './conv2d-backprop-input.js';
import type { WasmKernel } from './kernel-utils.js';
import { maxPoolGradKernel } from './max-pool-grad.js';

const WASM_KERNELS: readonly WasmKernel[] = [conv2DBackpropFilterKernel, conv2DBackpropInputKernel, batchMatMulKernel, maxPoolGradKernel];

/** Names of the kernels `registerWasmTrainingKernels` adds or replaces on the wasm backend. */
export const WASM_TRAINING_KERNELS: readonly string[] = WASM_KERNELS.map((k) => k.kernelName);

let registered = false;

/**
 * Registers rdl's wasm training kernels (idempotent). Call before the wasm backend is first
 * initialised (`initBackend` does). Returns the names of the kernels added or replaced.
 */
export function registerWasmTrainingKernels(): string[] {
  if (!registered) {
    // Every config first (a wrapper keeps the stock kernel it wraps), then the swap.
    const configs = WASM_KERNELS.map((k) => k.config(tf.getKernel(k.kernelName, 'wasm')));
    for (const { kernelName } of configs) {
      if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
    }
    for (const config of configs) tf.registerKernel(config);
    registered = true;
  }
  return [...WASM_TRAINING_KERNELS];
}
