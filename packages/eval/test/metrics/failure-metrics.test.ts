import { describe, expect, it } from 'vitest';
import type { Score } from '../../src/conventions.js';
import { failureMetrics } from '../../src/metrics/failure-metrics.js';

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

  it('checks lengths', () => {
    expect(() => failureMetrics({ ...mcp, values: [0.1] }, predicted, truth)).toThrow(/score 'mcp' has 1 values but there are 4/);
  });
});
