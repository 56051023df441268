export * from './blr/index.js';
export * from './logistic/index.js';
export * from './variational/index.js';
export * from './mlp/index.js';
