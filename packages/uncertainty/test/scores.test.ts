import { describe, expect, it } from 'vitest';
import { createRng } from '@rdl/core';
import {
  argmaxRows,
  expectedEntropy,
  maxSoftmaxProbability,
  mcDropoutHeadline,
  mcpScore,
  meanProbabilities,
  mutualInformation,
  predictiveEntropy,
  softmaxEntropyScore,
  summarizeMcDropout,
  variationRatio,
  voteCounts,
} from '../src/index.js';

const f32 = (rows: number[][]) => Float32Array.from(rows.flat());

/** Random T×N×C probabilities from a seeded rng. */
function randomSamples(passes: number, n: number, c: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(passes * n * c);
  for (let r = 0; r < passes * n; r++) {
    let sum = 0;
    for (let k = 0; k < c; k++) sum += out[r * c + k] = rng.next() ** 3;
    for (let k = 0; k < c; k++) out[r * c + k] /= sum;
  }
  return out;
}

describe('single-pass scores', () => {
  it('MCP is the largest probability of each row, as a confidence', () => {
    const probs = f32([
      [0.7, 0.2, 0.1],
      [0.3, 0.3, 0.4],
    ]);
    expect(Array.from(maxSoftmaxProbability(probs, 3))).toEqual([0.7, 0.4].map(Math.fround));
    const score = mcpScore(probs, 3);
    expect(score.direction).toBe('higher-is-more-confident');
    expect(score.name).toBe('mcp');
    expect(Array.from(argmaxRows(probs, 3))).toEqual([0, 2]);
  });

  it('entropy is log C for the uniform distribution, 0 for one-hot, finite with zeros', () => {
    const probs = f32([
      [0.25, 0.25, 0.25, 0.25],
      [0, 1, 0, 0],
      [0.5, 0.5, 0, 0],
      [0.7, 0.1, 0.1, 0.1],
    ]);
    const h = predictiveEntropy(probs, 4);
    expect(h[0]).toBeCloseTo(Math.log(4), 6);
    expect(h[1]).toBe(0);
    expect(h[2]).toBeCloseTo(Math.log(2), 6);
    const expected = -(0.7 * Math.log(0.7) + 3 * 0.1 * Math.log(0.1));
    expect(h[3]).toBeCloseTo(expected, 6);
    expect(h[3]).toBeLessThan(h[0]);
    expect(softmaxEntropyScore(probs, 4).direction).toBe('higher-is-more-uncertain');
  });

  it('rejects arrays whose length does not match the number of classes', () => {
    expect(() => maxSoftmaxProbability(new Float32Array(7), 3)).toThrow(/probs.*multiple of numClasses = 3/);
    expect(() => meanProbabilities(new Float32Array(12), { passes: 5, numClasses: 3 })).toThrow(/samples/);
    expect(() => predictiveEntropy(new Float32Array(6), 0)).toThrow(/numClasses/);
  });
});

describe('Monte Carlo scores', () => {
  // T = 4 passes, N = 2 images, C = 3 classes; pass-major.
  const samples = f32([
    [0.6, 0.3, 0.1],
    [0.1, 0.8, 0.1], // pass 0: votes 0, 1
    [0.5, 0.4, 0.1],
    [0.2, 0.7, 0.1], // pass 1: votes 0, 1
    [0.2, 0.7, 0.1],
    [0.3, 0.6, 0.1], // pass 2: votes 1, 1
    [0.1, 0.1, 0.8],
    [0.1, 0.5, 0.4], // pass 3: votes 2, 1
  ]);
  const shape = { passes: 4, numClasses: 3 };

  it('counts argmax votes and derives the variation ratio from the mode', () => {
    expect(Array.from(voteCounts(samples, shape))).toEqual([2, 1, 1, 0, 4, 0]);
    const vr = variationRatio(samples, shape);
    expect(vr[0]).toBeCloseTo(1 - 2 / 4, 7);
    expect(vr[1]).toBe(0);
  });

  it('averages the passes', () => {
    const mean = meanProbabilities(samples, shape);
    const expected = [0.35, 0.375, 0.275, 0.175, 0.65, 0.175];
    expected.forEach((v, k) => expect(mean[k]).toBeCloseTo(v, 6));
  });

  it('mutual information is H[mean] − mean H, log 2 for two confident opposite passes', () => {
    const opposite = f32([
      [1, 0],
      [0, 1],
    ]); // T = 2, N = 1, C = 2
    const s = { passes: 2, numClasses: 2 };
    expect(mutualInformation(opposite, s)[0]).toBeCloseTo(Math.log(2), 6);
    expect(expectedEntropy(opposite, s)[0]).toBe(0);
    expect(variationRatio(opposite, s)[0]).toBeCloseTo(0.5, 7);

    const random = randomSamples(7, 50, 5, 3);
    const r = { passes: 7, numClasses: 5 };
    const mi = mutualInformation(random, r);
    const h = predictiveEntropy(meanProbabilities(random, r), 5);
    const eh = expectedEntropy(random, r);
    for (let i = 0; i < 50; i++) {
      expect(mi[i]).toBeGreaterThanOrEqual(0);
      expect(mi[i]).toBeCloseTo(h[i] - eh[i], 5);
    }
    expect(Math.max(...mi)).toBeGreaterThan(0.01);
  });

  it('mutual information and variation ratio vanish when every pass agrees', () => {
    const row = [0.2, 0.5, 0.3];
    const same = f32(Array.from({ length: 10 }, () => row)); // T = 10, N = 1
    const s = { passes: 10, numClasses: 3 };
    expect(mutualInformation(same, s)[0]).toBeLessThan(1e-6);
    expect(variationRatio(same, s)[0]).toBe(0);
    expect(expectedEntropy(same, s)[0]).toBeCloseTo(predictiveEntropy(f32([row]), 3)[0], 6);
  });

  it('summarises MC dropout with documented headline scores and directions', () => {
    const summary = summarizeMcDropout(samples, shape);
    expect(summary.count).toBe(2);
    expect(Array.from(summary.predicted)).toEqual([1, 1]);
    expect(summary.scores.confidence.values[0]).toBeCloseTo(0.375, 6);
    expect(summary.scores.confidence.direction).toBe('higher-is-more-confident');
    expect(summary.scores.variationRatio.values[0]).toBeCloseTo(0.5, 7);
    for (const key of ['variationRatio', 'entropy', 'mutualInformation', 'expectedEntropy'] as const) {
      expect(summary.scores[key].direction).toBe('higher-is-more-uncertain');
    }
    expect(mcDropoutHeadline(summary, 'failure').name).toBe('mc-dropout-confidence');
    expect(mcDropoutHeadline(summary, 'ood').name).toBe('mc-dropout-entropy');
  });
});
