import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { z } from 'zod';

/** Prior w ~ N(0, α⁻¹I) (α = 0: flat prior) and noise precision β. */
export const blrHyperparamsSchema = z.object({
  alpha: z.number().min(0),
  beta: z.number().positive(),
});
export type BlrHyperparams = z.output<typeof blrHyperparamsSchema>;

/** Gaussian weight posterior N(mean, covariance); matrices D×D row-major, float64. */
export interface BlrPosterior {
  featureCount: number;
  mean: Float64Array;
  covariance: Float64Array;
  /** Σ⁻¹ = αI + βΦᵀΦ. */
  precision: Float64Array;
}

// A Cholesky pivot this small relative to its diagonal entry means the precision matrix is
// singular to working precision; ml-matrix only rejects pivots that are exactly ≤ 0.
const RELATIVE_PIVOT_TOLERANCE = 1e-12;

/**
 * Closed-form posterior: Σ⁻¹ = αI + βΦᵀΦ, μ = βΣΦᵀy, via a Cholesky factorisation of Σ⁻¹.
 * α = 0 works whenever ΦᵀΦ is invertible; a singular Σ⁻¹ is an error.
 */
export function fitBayesianLinearRegression(design: Matrix, y: ArrayLike<number>, hyper: BlrHyperparams): BlrPosterior {
  const { alpha, beta } = parseHyperparams(hyper);
  if (y.length !== design.rows) throw new Error(`fitBayesianLinearRegression: design has ${design.rows} rows but y has ${y.length} values`);
  const d = design.columns;
  const phiT = design.transpose();
  const precision = phiT.mmul(design).mul(beta).add(Matrix.eye(d, d).mul(alpha));
  const cholesky = choleskyOrThrow(precision, alpha);
  const covariance = symmetrise(cholesky.solve(Matrix.eye(d, d)));
  const target = phiT.mmul(Matrix.columnVector(Array.from(y))).mul(beta);
  const mean = cholesky.solve(target).getColumn(0);
  return {
    featureCount: d,
    mean: Float64Array.from(mean),
    covariance: Float64Array.from(covariance.to1DArray()),
    precision: Float64Array.from(precision.to1DArray()),
  };
}

/** The prior N(0, α⁻¹I) as a posterior after no data (α must be > 0). */
export function priorPosterior(featureCount: number, alpha: number): BlrPosterior {
  return fitBayesianLinearRegression(new Matrix(0, featureCount), [], { alpha, beta: 1 });
}

export function parseHyperparams(hyper: BlrHyperparams): BlrHyperparams {
  const parsed = blrHyperparamsSchema.safeParse(hyper);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Bayesian linear regression: ${issue?.path.map(String).join('.') || 'hyperparameters'}: ${issue?.message}`);
  }
  return parsed.data;
}

function choleskyOrThrow(precision: Matrix, alpha: number): CholeskyDecomposition {
  const cholesky = new CholeskyDecomposition(precision);
  const lower = cholesky.lowerTriangularMatrix;
  let singular = !cholesky.isPositiveDefinite();
  for (let i = 0; i < precision.rows && !singular; i++) {
    const pivot = lower.get(i, i) ** 2;
    singular = !(pivot > RELATIVE_PIVOT_TOLERANCE * precision.get(i, i));
  }
  if (singular) {
    throw new Error(
      `Bayesian linear regression: the precision matrix αI + βΦᵀΦ is singular (α = ${alpha}); ` +
        'with α = 0 the design needs at least as many distinct points as features (ΦᵀΦ invertible) — use α > 0 or more data',
    );
  }
  return cholesky;
}

function symmetrise(m: Matrix): Matrix {
  return m.add(m.transpose()).mul(0.5);
}
