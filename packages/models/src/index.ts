export {};
export * from './logistic/index.js';
export * from './variational/index.js';
export * from './mlp/index.js';
export * from './nets/lenet.js';
export * from './nets/lenet-dropout.js';
export { tfjsBlocks, type LeNetBlocks, type LeNetMcHead, type McHeadWeights } from './nets/lenet-blocks.js';
export { wasmSimdBlocks } from './nets/lenet-kernels/wasm-simd-blocks.js';
export { MODEL_WAT_SOURCES } from './nets/lenet-kernels/wat-sources.js';
export * from './training/classifier-training.js';
export type { Optimizer, AdamOptions, SgdOptions } from './training/optimizer.js';
export { adam } from './training/adam.js';
export { sgd } from './training/sgd.js';
export { minimize, tfAdam } from './training/tf-adam.js';
export { HostAdam } from './training/host-adam.js';
export {
  fit,
  fitAsync,
  schedule,
  type FitAsyncOptions,
  type FitBatch,
  type FitControl,
  type FitOptions,
  type FitResult,
} from './training/fit.js';
export * from './checkpoint.js';
export * from './blr/index.js';
export * from './training/branch-training.js';
export * from './training/encoder-finetune.js';
