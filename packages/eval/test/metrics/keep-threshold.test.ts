import { makeScore } from '@rdl/core';
import { describe, expect, it } from 'vitest';
import { isFlagged, keepThreshold } from '../../src/metrics/keep-threshold.js';

describe('keepThreshold', () => {
  const values = Float32Array.from({ length: 100 }, (_, i) => i + 1); // 1 … 100

  it('keeps 95 % of a confidence: flags the 5 lowest values', () => {
    const t = keepThreshold(makeScore('confidnet', values, 'higher-is-more-confident'), 'error', 0.95);
    expect(t.flagWhen).toBe('below');
    expect(t.threshold).toBe(6);
    expect(Array.from(values).filter((v) => isFlagged(v, t))).toEqual([1, 2, 3, 4, 5]);
    expect(t.kept).toBe(0.95);
  });

  it('keeps 95 % of an uncertainty: flags the 5 highest values', () => {
    const t = keepThreshold(makeScore('entropy', values, 'higher-is-more-uncertain'), 'ood', 0.95);
    expect(t.flagWhen).toBe('above');
    expect(t.threshold).toBe(95);
    expect(Array.from(values).filter((v) => isFlagged(v, t))).toEqual([96, 97, 98, 99, 100]);
  });

  it('keeps ties at the threshold, so never less than asked', () => {
    const t = keepThreshold(makeScore('odin', new Float32Array(10).fill(0.5), 'higher-is-more-confident'), 'ood', 0.9);
    expect(t.kept).toBe(1);
    expect(isFlagged(0.5, t)).toBe(false);
  });

  it('rejects a keep fraction outside (0, 1) and NaN scores with the field named', () => {
    expect(() => keepThreshold(makeScore('odin', values, 'higher-is-more-confident'), 'ood', 1)).toThrow(/keep must be/);
    expect(() => keepThreshold(makeScore('odin', [Number.NaN], 'higher-is-more-confident'), 'ood')).toThrow(/NaN/);
  });
});
