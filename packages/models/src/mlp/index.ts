export * from './config.js';
export * from './binary-mlp.js';
export * from './fast-trainer.js';
