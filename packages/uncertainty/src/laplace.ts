import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { z } from 'zod';
import { createRng, parseOptions } from '@rdl/core';
import { logisticLossHessian } from '@rdl/models';

/**
 * Laplace approximation for the week-2 logistic regression p(y = 1 | x) = σ(θᵀφ(x)),
 * φ(x) = (x1, x2, 1), θ = (w1, w2, b) as returned by @rdl/models' `trainLogisticMap`.
 *
 * Regulariser: the SAME as training, L(θ) = (1/N) Σ BCE + ½λ‖θ‖² (bias included unless
 * regularizeBias = false). Its Hessian is exact for this model:
 *   objective 'sum'  (default): H = Σᵢ pᵢ(1 − pᵢ) φᵢφᵢᵀ + Nλ R   (Hessian of N·L, the negative
 *                               log posterior with Gaussian prior precision Nλ — the Bayesian choice)
 *   objective 'mean'          : H = (1/N) Σᵢ pᵢ(1 − pᵢ) φᵢφᵢᵀ + λ R (Hessian of L itself, N× wider)
 * with R = diag(1, 1, regularizeBias ? 1 : 0). Σ = (H + damping·I)⁻¹ by Cholesky.
 */
export const laplaceFitOptionsSchema = z.object({
  weightDecay: z.number().min(0).default(5e-2),
  regularizeBias: z.boolean().default(true),
  damping: z.number().min(0).default(1e-4),
  objective: z.enum(['sum', 'mean']).default('sum'),
});
export type LaplaceFitOptions = z.input<typeof laplaceFitOptionsSchema>;

export const laplacePredictOptionsSchema = z.object({
  method: z.enum(['samples', 'probit']).default('samples'),
  /** Posterior weight draws for method 'samples' (course: 400). */
  samples: z.number().int().positive().default(400),
  seed: z.number().int().default(0),
});
export type LaplacePredictOptions = z.input<typeof laplacePredictOptionsSchema>;

export interface LaplacePosterior {
  /** MAP θ = (w1, w2, b). */
  mean: Float64Array;
  /** Σ, 3×3 row-major. */
  covariance: Float64Array;
  /** H (without damping), 3×3 row-major. */
  hessian: Float64Array;
}

export interface LaplacePrediction {
  /** p(y = 1 | x, D) per point: MC average (samples) or probit approximation. */
  mean: Float64Array;
  /** S×N of σ(θₛᵀφ(xᵢ)), only for method 'samples'. */
  samples?: Float64Array;
  /** μₐ = μᵀφ(x), the logit mean. */
  logitMean: Float64Array;
  /** σₐ² = φ(x)ᵀΣφ(x), the logit variance. */
  logitVariance: Float64Array;
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function pointCount(x: ArrayLike<number>): number {
  if (x.length % 2 !== 0) throw new Error(`x must be n×2 row-major, got length ${x.length}`);
  return x.length / 2;
}

function checkWeights(w: ArrayLike<number>): void {
  if (w.length !== 3) throw new Error(`weights must be (w1, w2, b), got length ${w.length}`);
}

/** Exact Hessian of the regularised logistic objective at θ (see the header); the models package's, so there is one. */
export function logisticHessian(
  weights: ArrayLike<number>,
  x: ArrayLike<number>,
  opts: { weightDecay: number; regularizeBias: boolean; objective: 'sum' | 'mean' },
): Float64Array {
  checkWeights(weights);
  pointCount(x);
  return logisticLossHessian(weights, x, { weightDecay: opts.weightDecay, regularizeBias: opts.regularizeBias, reduction: opts.objective });
}

/** Fit the Laplace posterior N(θ_MAP, (H + damping·I)⁻¹) around a MAP solution. */
export function laplaceFit(
  mapWeights: ArrayLike<number>,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: LaplaceFitOptions = {},
): LaplacePosterior {
  const opts = parseOptions(laplaceFitOptionsSchema, options ?? {}, 'Laplace fit options');
  checkWeights(mapWeights);
  const n = pointCount(x);
  if (y.length !== n) throw new Error(`y must have ${n} labels (one per row of x), got ${y.length}`);
  if (n === 0) throw new Error('x must hold at least one point');
  // y does not enter the logistic Hessian (it is Σ p(1 − p) φφᵀ), only through the MAP itself.
  const hessian = logisticHessian(mapWeights, x, opts);
  const damped = new Matrix(3, 3);
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) damped.set(a, b, hessian[3 * a + b] + (a === b ? opts.damping : 0));
  const chol = new CholeskyDecomposition(damped);
  if (!chol.isPositiveDefinite()) throw new Error('Laplace: H + damping·I is not positive definite; increase damping');
  const sigma = chol.solve(Matrix.eye(3, 3));
  const covariance = new Float64Array(9);
  // Symmetrise against rounding so the sampling Cholesky sees an exactly symmetric matrix.
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) covariance[3 * a + b] = 0.5 * (sigma.get(a, b) + sigma.get(b, a));
  return { mean: Float64Array.from(mapWeights), covariance, hessian };
}

/**
 * Predictive p(y = 1 | x, D) under the Laplace posterior:
 * 'samples': average of σ(θₛᵀφ) over S seeded draws θₛ = μ + Lz (L = chol Σ, z ~ N(0, I));
 * 'probit' : σ(μₐ / √(1 + πσₐ²/8)), MacKay's approximation of the same integral.
 */
export function laplacePredict(posterior: LaplacePosterior, x: ArrayLike<number>, options: LaplacePredictOptions = {}): LaplacePrediction {
  const opts = parseOptions(laplacePredictOptionsSchema, options ?? {}, 'Laplace predict options');
  const n = pointCount(x);
  const mu = posterior.mean;
  const cov = posterior.covariance;
  const logitMean = new Float64Array(n);
  const logitVariance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const phi = [x[2 * i], x[2 * i + 1], 1];
    logitMean[i] = mu[0] * phi[0] + mu[1] * phi[1] + mu[2];
    let v = 0;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) v += phi[a] * cov[3 * a + b] * phi[b];
    logitVariance[i] = Math.max(0, v);
  }
  if (opts.method === 'probit') {
    const mean = logitMean.map((m, i) => sigmoid(m / Math.sqrt(1 + (Math.PI * logitVariance[i]) / 8)));
    return { mean, logitMean, logitVariance };
  }
  const covM = new Matrix(3, 3);
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) covM.set(a, b, cov[3 * a + b]);
  const chol = new CholeskyDecomposition(covM);
  if (!chol.isPositiveDefinite()) throw new Error('Laplace: covariance is not positive definite');
  const l = chol.lowerTriangularMatrix;
  const rng = createRng(opts.seed);
  const s = opts.samples;
  const samples = new Float64Array(s * n);
  const mean = new Float64Array(n);
  for (let k = 0; k < s; k++) {
    const z = [rng.normal(), rng.normal(), rng.normal()];
    const th = [0, 1, 2].map((a) => mu[a] + l.get(a, 0) * z[0] + l.get(a, 1) * z[1] + l.get(a, 2) * z[2]);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(th[0] * x[2 * i] + th[1] * x[2 * i + 1] + th[2]);
      samples[k * n + i] = p;
      mean[i] += p / s;
    }
  }
  return { mean, samples, logitMean, logitVariance };
}
