export * from './core/artifacts.js';
export * from './core/stage.js';
export * from './core/store.js';
export * from './core/runner.js';
export * from './config/validate.js';
export { ConfigError, CONFIG_ENV, SET_ENV, parseOverrides, resolveRawConfig, stageSlice, type Override } from './config/raw-config.mjs';
export { stageTarget } from './nx/targets.js';
export { allPipelines, findPipeline } from './pipelines.js';
// The week-2 plane grid, for investigation scripts that reproduce the pipeline's maps.
export { gridPoints as planeGridPoints, gridSpecSchema, type GridSpec } from './weeks/week2/grid.js';
// Week-3 readers, for tools that consume the trained models (`rdl web export`).
export { intColumn, matrixColumn } from './weeks/week3/tables.js';
export { lenetFromArtifact } from './weeks/week3/lenet-checkpoint.js';
export { odinBatches } from './weeks/week3/odin-scoring.js';
