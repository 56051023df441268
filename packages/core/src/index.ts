export * from './score.js';
export * from './argmax.js';
