import { describe, expect, test } from 'vitest';
import {
  analyticLinearPredictiveVariance,
  createBasis,
  fitBayesianLinearRegression,
  linearBasis,
  polynomialBasis,
  predictBayesianLinearRegression,
  type Basis,
} from '../../src/blr/index.js';
import { grid, lineData, maxAbsDiff, sinusoidData } from './blr-fixtures.js';

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
