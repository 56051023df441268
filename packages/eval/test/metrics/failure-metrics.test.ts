import { describe, expect, it } from 'vitest';
import { createRng } from '@rdl/core';
import type { Score } from '../../src/conventions.js';
import { failureMetricIntervals, failureMetrics } from '../../src/metrics/failure-metrics.js';
import { referenceFailureIntervals } from './bootstrap-reference.js';

describe('failureMetrics', () => {
  // Errors at 2 and 3. MCP: error scores (−MCP) sorted: −0.3(err) −0.8 −0.9 −0.95(err).
  const predicted = [0, 1, 2, 3];
  const truth = [0, 1, 0, 0];
  const mcp: Score = { name: 'mcp', values: [0.9, 0.8, 0.3, 0.95], direction: 'higher-is-more-confident' };

  it('hand values, errors positive for AUROC/FPR', () => {
    const m = failureMetrics(mcp, predicted, truth);
    expect(m.positive).toBe('error');
    expect(m.auprError).toBeCloseTo(0.5 * 1 + 0.5 * 0.5, 12);
    expect(m.auprSuccess).toBeCloseTo(0.5 * 0.5 + 0.5 * (2 / 3), 12);
    expect(m.auroc).toBeCloseTo(0.5, 12);
    expect(m.fpr95).toBe(1);
    // Successes positive, by confidence: 0.95 (error), 0.9, 0.8 (both successes in: TPR 1) → 1 of 2 errors accepted.
    expect(m.fpr95Success).toBe(0.5);
    // Confidence order: error, success, success, error → risks 1, 1/2, 1/3, 2/4.
    expect(m.aurc).toBeCloseTo((1 + 1 / 2 + 1 / 3 + 1 / 2) / 4, 12);
    expect(m.errors).toBe(2);
    expect(m.n).toBe(4);
  });

  it('an uncertainty with the opposite sign gives the same numbers', () => {
    const neg: Score = { name: 'neg-mcp', values: [-0.9, -0.8, -0.3, -0.95], direction: 'higher-is-more-uncertain' };
    const a = failureMetrics(mcp, predicted, truth);
    const b = failureMetrics(neg, predicted, truth);
    expect(b).toEqual(a);
  });

  it('a score with the wrong declared direction gives the mirrored numbers', () => {
    const wrong: Score = { ...mcp, direction: 'higher-is-more-uncertain' };
    expect(failureMetrics(wrong, predicted, truth).auroc).toBeCloseTo(0.5, 12);
    const good: Score = { name: 'mcp', values: [0.9, 0.8, 0.3, 0.7], direction: 'higher-is-more-confident' };
    expect(failureMetrics(good, predicted, truth).auroc).toBe(1);
    expect(failureMetrics({ ...good, direction: 'higher-is-more-uncertain' }, predicted, truth).auroc).toBe(0);
  });

  it('bootstrap intervals hold the point estimate, and a perfect score has a degenerate interval', () => {
    const n = 200;
    const truth = Array.from({ length: n }, () => 0);
    const pred = truth.map((_, i) => (i % 10 === 0 ? 1 : 0));
    const noisy: Score = {
      name: 'c',
      values: pred.map((p, i) => (p ? 0.4 : 0.6) + ((i * 37) % 17) / 40),
      direction: 'higher-is-more-confident',
    };
    const point = failureMetrics(noisy, pred, truth);
    const ci = failureMetricIntervals(noisy, pred, truth, { resamples: 300, seed: 1 });
    for (const key of ['auprError', 'auprSuccess', 'auroc', 'fpr95', 'fpr95Success', 'aurc'] as const) {
      expect(ci[key].low, key).toBeLessThanOrEqual(point[key]);
      expect(ci[key].high, key).toBeGreaterThanOrEqual(point[key]);
      expect(ci[key].high - ci[key].low, key).toBeGreaterThan(0);
    }
    const perfect: Score = { name: 'p', values: pred.map((p) => (p ? 0 : 1)), direction: 'higher-is-more-confident' };
    const pci = failureMetricIntervals(perfect, pred, truth, { resamples: 50, seed: 1 });
    expect([pci.auprError.low, pci.auprError.high, pci.fpr95Success.high]).toEqual([1, 1, 0]);
  });

  it('checks lengths', () => {
    expect(() => failureMetrics({ ...mcp, values: [0.1] }, predicted, truth)).toThrow(/score 'mcp' has 1 values but there are 4/);
  });
});

describe('failureMetricIntervals (one-pass sweep)', () => {
  it('equals the from-scratch bootstrap on random data with ties, to 1e-12', () => {
    const rng = createRng(21);
    for (const [n, levels] of [
      [400, 7],
      [1500, 50],
      [60, 3],
    ] as const) {
      const truth = Array.from({ length: n }, () => rng.int(4));
      const predicted = truth.map((t) => (rng.next() < 0.2 ? (t + 1) % 4 : t));
      // Rounded MCP-like confidences, so that ties are frequent and mix errors with successes.
      const values = truth.map((t, i) => Math.round((predicted[i] === t ? 0.5 + 0.5 * rng.next() : rng.next()) * levels) / levels);
      for (const direction of ['higher-is-more-confident', 'higher-is-more-uncertain'] as const) {
        const score: Score = { name: 'mcp', values, direction };
        const options = { resamples: 60, seed: 5 + n };
        const fast = failureMetricIntervals(score, predicted, truth, options);
        const slow = referenceFailureIntervals(score, predicted, truth, options);
        for (const key of Object.keys(slow) as (keyof typeof slow)[]) {
          expect(fast[key].skipped, key).toBe(slow[key].skipped);
          expect(Math.abs(fast[key].low - slow[key].low), key).toBeLessThanOrEqual(1e-12);
          expect(Math.abs(fast[key].high - slow[key].high), key).toBeLessThanOrEqual(1e-12);
        }
      }
    }
  });

  it('skips resamples without an error exactly as the from-scratch bootstrap does', () => {
    // One error in 8 images: about a third of the resamples draw none.
    const truth = [0, 0, 0, 0, 0, 0, 0, 0];
    const predicted = [0, 0, 0, 1, 0, 0, 0, 0];
    const score: Score = { name: 'mcp', values: [0.9, 0.8, 0.8, 0.4, 0.7, 0.6, 0.9, 0.5], direction: 'higher-is-more-confident' };
    const fast = failureMetricIntervals(score, predicted, truth, { resamples: 200, seed: 3 });
    const slow = referenceFailureIntervals(score, predicted, truth, { resamples: 200, seed: 3 });
    expect(fast.auroc.skipped).toBeGreaterThan(20);
    expect(fast).toEqual(slow);
  });
});
