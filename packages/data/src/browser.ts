// @rdl/data for browsers (the `browser` export condition): synthetic data, image sets and Arrow
// tables, without the loaders that read MNIST and Fashion-MNIST from disk.
export * from './arrow/metadata.js';
export * from './arrow/ipc.js';
export * from './synthetic/index.js';
export * from './images/image-set.js';
export * from './images/table.js';
export * from './images/splits.js';
