export * from './config.js';
export * from './logistic-map.js';
