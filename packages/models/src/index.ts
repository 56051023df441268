export * from './blr/index.js';
