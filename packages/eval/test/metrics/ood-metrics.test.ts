import { describe, expect, it } from 'vitest';
import { createRng } from '@rdl/core';
import type { Score } from '../../src/conventions.js';
import { oodMetricIntervals, oodMetrics } from '../../src/metrics/ood-metrics.js';
import { referenceOodIntervals } from './bootstrap-reference.js';

describe('oodMetrics', () => {
  // OOD scores (−MCP): in −0.9 −0.8 −0.6, out −0.7 −0.5. Sorted: −.5(o) −.6(i) −.7(o) −.8(i) −.9(i).
  const inScore: Score = { name: 'mcp', values: [0.9, 0.8, 0.6], direction: 'higher-is-more-confident' };
  const outScore: Score = { name: 'mcp', values: [0.7, 0.5], direction: 'higher-is-more-confident' };

  it('hand values, OOD positive for AUROC/FPR', () => {
    const m = oodMetrics(inScore, outScore);
    expect(m.positive).toBe('ood');
    expect(m.auprOut).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 12);
    expect(m.auprIn).toBeCloseTo(1 / 3 + 1 / 3 + (1 / 3) * (3 / 4), 12);
    expect(m.auroc).toBeCloseTo(5 / 6, 12);
    expect(m.fpr95).toBeCloseTo(1 / 3, 12);
    // ODIN's convention, in-distribution positive: all 3 MNIST accepted only at 0.6, which also accepts OOD 0.7.
    expect(m.fpr95In).toBe(0.5);
    expect(m.nIn).toBe(3);
    expect(m.nOut).toBe(2);
  });

  it('bootstrap resamples each sample within itself and brackets the point estimate', () => {
    const inS: Score = {
      name: 'c',
      values: Array.from({ length: 60 }, (_, i) => 0.5 + ((i * 13) % 29) / 40),
      direction: 'higher-is-more-confident',
    };
    const outS: Score = {
      name: 'c',
      values: Array.from({ length: 40 }, (_, i) => 0.2 + ((i * 7) % 23) / 30),
      direction: 'higher-is-more-confident',
    };
    const point = oodMetrics(inS, outS);
    const ci = oodMetricIntervals(inS, outS, { resamples: 300, seed: 3 });
    for (const key of ['auprIn', 'auprOut', 'auroc', 'fpr95', 'fpr95In'] as const) {
      expect(ci[key].low, key).toBeLessThanOrEqual(point[key]);
      expect(ci[key].high, key).toBeGreaterThanOrEqual(point[key]);
      expect(ci[key].skipped, key).toBe(0);
    }
  });

  it('refuses scores with different directions', () => {
    expect(() => oodMetrics(inScore, { ...outScore, direction: 'higher-is-more-uncertain' })).toThrow(
      /oodMetrics: inScore 'mcp' is 'higher-is-more-confident'/,
    );
  });
});

describe('oodMetricIntervals (one-pass sweep)', () => {
  it('equals the from-scratch stratified bootstrap on random data with ties, to 1e-12', () => {
    const rng = createRng(8);
    for (const [nIn, nOut, levels] of [
      [500, 300, 20],
      [40, 900, 200],
      [5, 3, 2],
    ] as const) {
      const inScore: Score = {
        name: 'mcp',
        values: Array.from({ length: nIn }, () => Math.round(rng.next() * levels) / levels),
        direction: 'higher-is-more-confident',
      };
      const outScore: Score = {
        name: 'mcp',
        values: Array.from({ length: nOut }, () => Math.round(rng.next() ** 2 * levels) / levels),
        direction: 'higher-is-more-confident',
      };
      const options = { resamples: 50, seed: nIn + nOut };
      const fast = oodMetricIntervals(inScore, outScore, options);
      const slow = referenceOodIntervals(inScore, outScore, options);
      for (const key of Object.keys(slow) as (keyof typeof slow)[]) {
        expect(fast[key].skipped, key).toBe(0);
        expect(Math.abs(fast[key].low - slow[key].low), key).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(fast[key].high - slow[key].high), key).toBeLessThanOrEqual(1e-12);
      }
    }
  });
});
