import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import {
  analyticLinearPredictiveVariance,
  createBasis,
  fitBayesianLinearRegression,
  gaussianBasis,
  linearBasis,
  polynomialBasis,
  posteriorDensityGrid,
  predictBayesianLinearRegression,
  priorPosterior,
  sequentialPosteriors,
  type Basis,
} from '../src/blr/index.js';

// Deterministic stand-ins for the week-1 data (models does not depend on @rdl/data).
const golden = 0.6180339887498949;
const frac = (v: number): number => v - Math.floor(v);
function lineData(n: number, low = 0, high = 2): { x: Float64Array; y: Float64Array } {
  const x = Float64Array.from({ length: n }, (_, i) => low + (high - low) * frac(0.3 + i * golden));
  const y = x.map((v, i) => -0.3 + 0.5 * v + 0.2 * Math.sin(12.9898 * (i + 1)));
  return { x, y };
}
function sinusoidData(n: number): { x: Float64Array; y: Float64Array } {
  const x = Float64Array.from({ length: n }, (_, i) => frac(0.1 + i * golden));
  const y = x.map((v, i) => Math.sin(2 * Math.PI * v) + v + 0.2 * Math.sin(78.233 * (i + 1)));
  return { x, y };
}
const grid = (a: number, b: number, n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
};

/** Independent route: SVD of the stacked system [√β Φ; √α I] w ≈ [√β y; 0]. */
function posteriorBySvd(phi: Matrix, y: Float64Array, alpha: number, beta: number): { mean: number[]; covariance: number[] } {
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

describe('posterior', () => {
  test('hand-computed 2×2 case', () => {
    // x = (0, 1), y = (1, 3), α = β = 1: Σ⁻¹ = [[3, 1], [1, 2]], Σ = [[2, −1], [−1, 3]]/5, μ = (1, 1).
    const post = fitBayesianLinearRegression(linearBasis().design([0, 1]), [1, 3], { alpha: 1, beta: 1 });
    expect(maxAbsDiff(post.precision, [3, 1, 1, 2])).toBeLessThan(1e-15);
    expect(maxAbsDiff(post.covariance, [0.4, -0.2, -0.2, 0.6])).toBeLessThan(1e-15);
    expect(maxAbsDiff(post.mean, [1, 1])).toBeLessThan(1e-14);
  });

  test.each<[string, Basis, 'line' | 'sin', number, number]>([
    ['linear, SPEC 1.1', linearBasis(), 'line', 2, 12.5],
    ['polynomial 10 features, SPEC 2.4', polynomialBasis({ featureCount: 10 }), 'sin', 0.05, 12.5],
    ['gaussian 9 centres, SPEC 2.5', createBasis({ kind: 'gaussian' }), 'sin', 0.05, 12.5],
  ])('%s matches an SVD of the stacked least-squares system', (_, basis, which, alpha, beta) => {
    const { x, y } = which === 'line' ? lineData(25) : sinusoidData(50);
    const phi = basis.design(x);
    const post = fitBayesianLinearRegression(phi, y, { alpha, beta });
    const ref = posteriorBySvd(phi, y, alpha, beta);
    const scale = Math.max(...ref.covariance.map(Math.abs));
    expect(maxAbsDiff(post.mean, ref.mean)).toBeLessThan(1e-8 * Math.max(1, ...ref.mean.map(Math.abs)));
    expect(maxAbsDiff(post.covariance, ref.covariance) / scale).toBeLessThan(1e-8);
  });

  test('α → 0 gives the least-squares solution (QR), and α = 0 is accepted', () => {
    const { x, y } = lineData(25);
    const phi = linearBasis().design(x);
    const ls = new QrDecomposition(phi).solve(Matrix.columnVector(Array.from(y))).getColumn(0);
    const exact = fitBayesianLinearRegression(phi, y, { alpha: 0, beta: 12.5 });
    expect(maxAbsDiff(exact.mean, ls)).toBeLessThan(1e-12);
    const errors = [1, 1e-2, 1e-4, 1e-6].map((alpha) => maxAbsDiff(fitBayesianLinearRegression(phi, y, { alpha, beta: 12.5 }).mean, ls));
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThan(errors[i - 1]);
    expect(errors[3]).toBeLessThan(1e-6);
    // The prior pulls towards 0: with α = 1 the estimate is visibly shrunk.
    expect(errors[0]).toBeGreaterThan(1e-3);
  });

  test('a singular precision matrix is a clear error', () => {
    const basis = linearBasis();
    expect(() => fitBayesianLinearRegression(basis.design([0.7]), [1], { alpha: 0, beta: 1 })).toThrow(/singular/);
    expect(() => fitBayesianLinearRegression(basis.design([0.7, 0.7, 0.7]), [1, 2, 3], { alpha: 0, beta: 1 })).toThrow(/singular/);
    expect(() => priorPosterior(2, 0)).toThrow(/singular/);
    expect(() => fitBayesianLinearRegression(basis.design([0, 1]), [1], { alpha: 1, beta: 1 })).toThrow(/2 rows but y has 1/);
    expect(() => fitBayesianLinearRegression(basis.design([0, 1]), [1, 2], { alpha: 1, beta: 0 })).toThrow(/beta/);
  });

  test('polynomial basis counts its features explicitly', () => {
    const a = polynomialBasis({ featureCount: 10 });
    const b = polynomialBasis({ degree: 9 });
    expect(a.featureCount).toBe(10);
    expect(b.featureCount).toBe(10);
    expect(a.design([2]).getRow(0)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
    expect(() => polynomialBasis({ featureCount: 0 })).toThrow(/featureCount/);
    const g = gaussianBasis([0, 0.5, 1], 1 / 9);
    expect(g.featureCount).toBe(3); // no bias column
    expect(g.design([0.5]).get(0, 1)).toBe(1);
    expect(g.design([0.5]).get(0, 0)).toBeCloseTo(Math.exp((-0.25 * 81) / 2), 15);
  });
});

describe('predictive distribution', () => {
  const beta = 12.5;
  const cases: [string, Basis, number, Float64Array][] = [
    ['linear', linearBasis(), 2, grid(-10, 10, 250)],
    ['polynomial', polynomialBasis({ featureCount: 10 }), 0.05, grid(-1, 2, 500)],
    ['gaussian', createBasis({ kind: 'gaussian' }), 0.05, grid(-1, 2, 500)],
  ];
  test.each(cases)('%s: σ² = 1/β + φᵀΣφ ≥ 1/β everywhere, mean = Φ*μ', (name, basis, alpha, xs) => {
    const { x, y } = name === 'linear' ? lineData(25) : sinusoidData(50);
    const post = fitBayesianLinearRegression(basis.design(x), y, { alpha, beta });
    const pred = predictBayesianLinearRegression(post, basis.design(xs), beta);
    const d = post.featureCount;
    xs.forEach((xStar, i) => {
      const phi = basis.design([xStar]).getRow(0);
      let quad = 0;
      let m = 0;
      for (let j = 0; j < d; j++) {
        m += phi[j] * post.mean[j];
        for (let k = 0; k < d; k++) quad += phi[j] * post.covariance[j * d + k] * phi[k];
      }
      expect(pred.mean[i]).toBeCloseTo(m, 8);
      expect(Math.abs(pred.epistemic[i] - quad)).toBeLessThanOrEqual(1e-9 * Math.max(1, quad));
      expect(pred.aleatoric[i]).toBe(1 / beta);
      expect(pred.variance[i]).toBe(pred.epistemic[i] + 1 / beta);
      expect(pred.variance[i]).toBeGreaterThanOrEqual(1 / beta);
    });
  });

  test('linear basis: σ² is minimal at the training barycentre', () => {
    const { x, y } = lineData(25);
    const basis = linearBasis();
    const xs = grid(-10, 10, 2001);
    const pred = predictBayesianLinearRegression(
      fitBayesianLinearRegression(basis.design(x), y, { alpha: 2, beta }),
      basis.design(xs),
      beta,
    );
    const argmin = xs[pred.variance.indexOf(Math.min(...pred.variance))];
    const barycentre = x.reduce((s, v) => s + v, 0) / x.length;
    expect(Math.abs(argmin - barycentre)).toBeLessThanOrEqual(xs[1] - xs[0]);
    // And it grows towards both ends.
    expect(pred.variance[0]).toBeGreaterThan(pred.variance[500]);
    expect(pred.variance[2000]).toBeGreaterThan(pred.variance[1500]);
  });

  test('SPEC 1.5: α = 0, β = 1 matches the analytic variance (max abs diff < 1e-9)', () => {
    const { x, y } = lineData(25);
    const xs = grid(-10, 10, 250);
    const basis = linearBasis();
    for (const b of [1, 12.5]) {
      const pred = predictBayesianLinearRegression(
        fitBayesianLinearRegression(basis.design(x), y, { alpha: 0, beta: b }),
        basis.design(xs),
        b,
      );
      expect(maxAbsDiff(pred.variance, analyticLinearPredictiveVariance(x, xs, b))).toBeLessThan(1e-9);
    }
    // The analytic form itself: 1 + 1/N at the barycentre.
    const xbar = x.reduce((s, v) => s + v, 0) / x.length;
    expect(analyticLinearPredictiveVariance(x, [xbar])[0]).toBeCloseTo(1 + 1 / 25, 14);
    expect(() => analyticLinearPredictiveVariance([1, 1], [0])).toThrow(/equal/);
  });

  test('gaussian basis: far from the data σ² → 1/β, the epistemic part vanishes', () => {
    const { x, y } = sinusoidData(50);
    const basis = createBasis({ kind: 'gaussian' });
    const post = fitBayesianLinearRegression(basis.design(x), y, { alpha: 0.05, beta });
    const pred = predictBayesianLinearRegression(post, basis.design([-10, -3, 0.5, 4, 10]), beta);
    for (const i of [0, 1, 3, 4]) {
      expect(pred.epistemic[i]).toBeLessThan(1e-12);
      expect(Math.abs(pred.variance[i] - 1 / beta)).toBeLessThan(1e-12);
      expect(pred.mean[i]).toBeCloseTo(0, 6); // and the mean returns to the prior's 0
    }
    expect(pred.epistemic[2]).toBeGreaterThan(1e-4);
    // The polynomial basis does the opposite: its variance explodes outside [0, 1].
    const poly = polynomialBasis({ featureCount: 10 });
    const pp = predictBayesianLinearRegression(
      fitBayesianLinearRegression(poly.design(x), y, { alpha: 0.05, beta }),
      poly.design([0.5, 2]),
      beta,
    );
    expect(pp.variance[1]).toBeGreaterThan(100 * pp.variance[0]);
  });
});

describe('posterior density and sequential updates', () => {
  test('N = 0 is the prior N(0, I/α); the density integrates to 1 and peaks at μ', () => {
    const prior = priorPosterior(2, 2);
    expect(Array.from(prior.mean)).toEqual([0, 0]);
    expect(maxAbsDiff(prior.covariance, [0.5, 0, 0, 0.5])).toBeLessThan(1e-15);
    const g = posteriorDensityGrid(prior, { w0: [-1, 1], w1: [-1, 1], resolution: 101 });
    expect(g.density.length).toBe(101 * 101);
    expect(g.density[50 * 101 + 50]).toBeCloseTo(2 / (2 * Math.PI), 12);
    const wide = posteriorDensityGrid(prior, { w0: [-5, 5], w1: [-5, 5], resolution: 201 });
    const cell = (wide.w0[1] - wide.w0[0]) * (wide.w1[1] - wide.w1[0]);
    expect(wide.density.reduce((s, v) => s + v, 0) * cell).toBeCloseTo(1, 4);
  });

  test('layout: rows follow w1, columns w0', () => {
    const { x, y } = lineData(25);
    const post = fitBayesianLinearRegression(linearBasis().design(x), y, { alpha: 2, beta: 12.5 });
    const g = posteriorDensityGrid(post, { w0: [-1, 1], w1: [-1, 1], resolution: 201 });
    const peak = g.density.indexOf(Math.max(...g.density));
    const [i1, i0] = [Math.floor(peak / 201), peak % 201];
    expect(Math.abs(g.w0[i0] - post.mean[0])).toBeLessThanOrEqual(0.01);
    expect(Math.abs(g.w1[i1] - post.mean[1])).toBeLessThanOrEqual(0.01);
    expect(() => posteriorDensityGrid(post, { w0: [1, -1], w1: [-1, 1], resolution: 10 })).toThrow(/w0 range/);
  });

  test('sequential posteriors shrink and move towards the true weights', () => {
    const { x, y } = lineData(25);
    const basis = linearBasis();
    const steps = sequentialPosteriors(x, y, basis, { alpha: 2, beta: 12.5 });
    expect(steps.map((s) => s.count)).toEqual([0, 1, 2, 10, 25]);
    expect(Array.from(steps[0].posterior.mean)).toEqual([0, 0]);
    const full = fitBayesianLinearRegression(basis.design(x), y, { alpha: 2, beta: 12.5 });
    expect(maxAbsDiff(steps[4].posterior.mean, full.mean)).toBe(0);
    const det = (c: Float64Array): number => c[0] * c[3] - c[1] * c[2];
    for (let i = 1; i < steps.length; i++) expect(det(steps[i].posterior.covariance)).toBeLessThan(det(steps[i - 1].posterior.covariance));
    const err = Math.hypot(steps[4].posterior.mean[0] + 0.3, steps[4].posterior.mean[1] - 0.5);
    expect(err).toBeLessThan(0.2);
    expect(() => sequentialPosteriors(x, y, basis, { alpha: 2, beta: 12.5 }, [26])).toThrow(/count 26/);
  });
});
