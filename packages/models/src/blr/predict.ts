import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { BlrPosterior } from './posterior.js';

/** Predictive N(mean, variance) per test point, with the variance split into its two sources. */
export interface BlrPrediction {
  mean: Float64Array;
  /** aleatoric + epistemic = 1/β + φᵀΣφ. */
  variance: Float64Array;
  /** φᵀΣφ: weight uncertainty, shrinks with data. */
  epistemic: Float64Array;
  /** 1/β: observation noise, the floor of the variance. */
  aleatoric: Float64Array;
}

/** Predictive distribution at the rows of `design` (Φ*, M×D), all points at once. */
export function predictBayesianLinearRegression(posterior: BlrPosterior, design: Matrix, beta: number): BlrPrediction {
  if (!(beta > 0) || !Number.isFinite(beta))
    throw new Error(`predictBayesianLinearRegression: beta must be a positive number, got ${beta}`);
  const d = posterior.featureCount;
  if (design.columns !== d) {
    throw new Error(`predictBayesianLinearRegression: design has ${design.columns} columns but the posterior has ${d} features`);
  }
  const m = design.rows;
  const mean = Float64Array.from(design.mmul(Matrix.columnVector(Array.from(posterior.mean))).getColumn(0));
  const epistemic = new Float64Array(m);
  const sigma = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) sigma.set(i, j, posterior.covariance[i * d + j]);

  // With Σ = LLᵀ, φᵀΣφ = ‖Lᵀφ‖²: a sum of squares, so it cannot go negative through rounding.
  const cholesky = new CholeskyDecomposition(sigma);
  if (cholesky.isPositiveDefinite()) {
    const projected = design.mmul(cholesky.lowerTriangularMatrix);
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += projected.get(r, c) ** 2;
      epistemic[r] = s;
    }
  } else {
    // Σ that rounding made indefinite: fall back to the quadratic form, clipped at zero.
    const projected = design.mmul(sigma);
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += projected.get(r, c) * design.get(r, c);
      epistemic[r] = Math.max(0, s);
    }
  }
  const aleatoric = new Float64Array(m).fill(1 / beta);
  const variance = epistemic.map((e) => e + 1 / beta);
  return { mean, variance, epistemic, aleatoric };
}
