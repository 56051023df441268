import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { expect } from 'vitest';

// Deterministic stand-ins for the week-1 data (models does not depend on @rdl/data).
const golden = 0.6180339887498949;
const frac = (v: number): number => v - Math.floor(v);
export function lineData(n: number, low = 0, high = 2): { x: Float64Array; y: Float64Array } {
  const x = Float64Array.from({ length: n }, (_, i) => low + (high - low) * frac(0.3 + i * golden));
  const y = x.map((v, i) => -0.3 + 0.5 * v + 0.2 * Math.sin(12.9898 * (i + 1)));
  return { x, y };
}
export function sinusoidData(n: number): { x: Float64Array; y: Float64Array } {
  const x = Float64Array.from({ length: n }, (_, i) => frac(0.1 + i * golden));
  const y = x.map((v, i) => Math.sin(2 * Math.PI * v) + v + 0.2 * Math.sin(78.233 * (i + 1)));
  return { x, y };
}
export const grid = (a: number, b: number, n: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
export const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
};

/** Independent route: SVD of the stacked system [√β Φ; √α I] w ≈ [√β y; 0]. */
export function posteriorBySvd(phi: Matrix, y: Float64Array, alpha: number, beta: number): { mean: number[]; covariance: number[] } {
  const d = phi.columns;
  const stacked = Matrix.zeros(phi.rows + d, d);
  for (let i = 0; i < phi.rows; i++) for (let j = 0; j < d; j++) stacked.set(i, j, Math.sqrt(beta) * phi.get(i, j));
  for (let j = 0; j < d; j++) stacked.set(phi.rows + j, j, Math.sqrt(alpha));
  const rhs = Matrix.columnVector([...Array.from(y, (v) => Math.sqrt(beta) * v), ...new Array<number>(d).fill(0)]);
  const svd = new SingularValueDecomposition(stacked, { autoTranspose: true });
  const v = svd.rightSingularVectors;
  const s = svd.diagonal;
  // Σ = V S⁻² Vᵀ, μ = V S⁻¹ Uᵀ b.
  const covariance = v.mmul(Matrix.diag(s.map((x) => 1 / (x * x)))).mmul(v.transpose());
  const mean = svd.solve(rhs).getColumn(0);
  return { mean, covariance: covariance.to1DArray() };
}
