export * from './score.js';
export * from './argmax.js';
export * from './random.js';
export * from './derive-seed.js';
export * from './parse-options.js';
export * from './check-binary.js';
export * from './threshold-counts.js';
export * from './average-precision.js';
