export * from './random.js';
export * from './arrow/metadata.js';
export * from './arrow/ipc.js';
