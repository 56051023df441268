import { describe, expect, test } from 'vitest';
import { fitBayesianLinearRegression, linearBasis, sequentialPosteriors } from '../../src/blr/index.js';
import { lineData, maxAbsDiff } from './blr-fixtures.js';

describe('sequential updates', () => {
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
