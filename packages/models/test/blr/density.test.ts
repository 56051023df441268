import { describe, expect, test } from 'vitest';
import { fitBayesianLinearRegression, linearBasis, posteriorDensityGrid, priorPosterior } from '../../src/blr/index.js';
import { lineData, maxAbsDiff } from './blr-fixtures.js';

describe('posterior density', () => {
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
});
