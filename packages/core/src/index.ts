export * from './score.js';
export * from './argmax.js';
export * from './random.js';
export * from './derive-seed.js';
export * from './parse-options.js';
