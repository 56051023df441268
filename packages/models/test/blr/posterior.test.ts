import { Matrix, QrDecomposition } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import {
  createBasis,
  fitBayesianLinearRegression,
  gaussianBasis,
  linearBasis,
  polynomialBasis,
  priorPosterior,
  type Basis,
} from '../../src/blr/index.js';
import { lineData, maxAbsDiff, posteriorBySvd, sinusoidData } from './blr-fixtures.js';

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
