import { describe, expect, it } from 'vitest';
import {
  bernoulliEntropy,
  binaryExpectedEntropy,
  binaryMutualInformation,
  binaryPredictiveEntropy,
  binaryPredictiveVariance,
  binaryScores,
  farNearRatio,
  summarizeBinaryPredictive,
} from '../src/binary-scores.js';
import { binaryPredictiveMean, collectBinarySamples } from '../src/predictive-sampling.js';

// 3 passes × 3 points (pass-major): point 0 certain and agreed, point 1 passes disagree
// completely, point 2 every pass is 50/50.
const samples = new Float64Array([1, 0, 0.5, 1, 1, 0.5, 1, 0, 0.5]);

describe('binary predictive scores', () => {
  it('gives the textbook values on hand-made passes', () => {
    const mean = binaryPredictiveMean(samples, 3);
    expect(Array.from(mean)).toEqual([1, 1 / 3, 0.5]);
    const h = binaryPredictiveEntropy(samples, 3);
    expect(h[0]).toBe(0);
    expect(h[1]).toBeCloseTo(bernoulliEntropy(1 / 3), 12);
    expect(h[2]).toBeCloseTo(Math.log(2), 12);
    const eh = binaryExpectedEntropy(samples, 3);
    expect(Array.from(eh)).toEqual([0, 0, Math.log(2)]);
    const mi = binaryMutualInformation(samples, 3);
    // Disagreeing certain passes: all uncertainty is epistemic; 50/50 passes: all aleatoric.
    expect(mi[1]).toBeCloseTo(bernoulliEntropy(1 / 3), 12);
    expect(mi[2]).toBeCloseTo(0, 12);
    const v = binaryPredictiveVariance(samples, 3);
    expect(v[0]).toBe(0);
    expect(v[1]).toBeCloseTo(2 / 9, 12);
    expect(v[2]).toBe(0);
  });

  it('the summary matches the single functions and the Score view says higher = more uncertain', () => {
    const s = summarizeBinaryPredictive(samples, 3);
    expect(Array.from(s.mutualInformation)).toEqual(Array.from(binaryMutualInformation(samples, 3)));
    const scores = binaryScores(s, 'vi');
    expect(scores.map((x) => x.name)).toEqual(['vi-entropy', 'vi-expected-entropy', 'vi-mutual-information', 'vi-variance']);
    expect(scores.every((x) => x.direction === 'higher-is-more-uncertain')).toBe(true);
  });

  it('collects passes and computes the far/near ratio', () => {
    const c = collectBinarySamples(3, (s) => [s / 4, 1 - s / 4]);
    expect(Array.from(c)).toEqual([0, 1, 0.25, 0.75, 0.5, 0.5]);
    expect(farNearRatio([0.6, 0.6], [0.1, 0.2, 0.3])).toBeCloseTo(3, 12);
    expect(() => collectBinarySamples(2, (s) => new Array(s + 1).fill(0))).toThrow(/pass 1/);
  });

  it('rejects malformed samples', () => {
    expect(() => binaryPredictiveMean(samples, 2)).toThrow(/multiple of passes/);
    expect(() => binaryPredictiveMean([0.5, 1.5], 1)).toThrow(/not a probability/);
    expect(() => binaryPredictiveMean([0.5, NaN], 1)).toThrow(/not a probability/);
  });
});
