export * from './config.js';
export * from './tf-seed.js';
export * from './linear-variational.js';
export * from './variational-models.js';
export * from './predictive.js';
export * from './serialization.js';
