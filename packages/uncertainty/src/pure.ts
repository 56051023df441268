// The part of @rdl/uncertainty that imports no TensorFlow.js and no @rdl/models: the Score type,
// the array scores, the MC-dropout summary, MCP, the method interface and the one grid search.
// Evaluation code (and a browser) imports this entry, so a change in the models never reruns it.
export { makeScore, type Score, type ScoreDirection } from '@rdl/core';
export * from './method.js';
export * from './grid-search.js';
export * from './classification-scores.js';
export * from './mcp.js';
export * from './mc-dropout.js';
export * from './predictive-sampling.js';
export * from './binary-scores.js';
export * from './methods/mcp.js';
export * from './synthetic-ood.js';
