// Everything: the tfjs-free part (also importable alone as `@rdl/uncertainty/pure`), then the
// methods that run TensorFlow.js or train @rdl/models' networks.
export * from './pure.js';
export * from './confidnet.js';
export * from './confidnet-lenet.js';
export * from './confidnet-finetune.js';
export * from './odin.js';
export * from './laplace.js';
export * from './methods/mc-dropout.js';
export * from './methods/odin.js';
export * from './methods/confidnet.js';
export * from './methods/binary.js';
export * from './methods/map.js';
export * from './methods/laplace.js';
export * from './methods/variational.js';
