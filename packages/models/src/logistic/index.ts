export * from './config.js';
export * from './logistic-map.js';
export * from './logistic-newton.js';
