export * from './basis.js';
export * from './basis-spec.js';
export { blrHyperparamsSchema, fitBayesianLinearRegression, priorPosterior, type BlrHyperparams, type BlrPosterior } from './posterior.js';
export * from './predict.js';
export * from './density.js';
export * from './sequential.js';
export * from './analytic.js';
