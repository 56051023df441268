import { createRng } from '@rdl/core';
import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../src/metrics/roc-auc.js';

// Brute-force reference straight from the definition, O(n²).
function bruteAuroc(labels: number[], scores: number[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      sum += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return sum / pairs;
}

describe('ranking metrics on hand cases', () => {
  // Sorted: 0.9(+) | 0.8(+,−) | 0.6(+,−) | 0.1(−). P = N = 3.
  const labels = [1, 0, 1, 1, 0, 0];
  const scores = [0.9, 0.8, 0.8, 0.6, 0.6, 0.1];

  it('AUROC counts ties as 1/2: (3 + 2.5 + 1.5)/9 = 7/9', () => {
    expect(rocAuc(labels, scores)).toBeCloseTo(7 / 9, 12);
  });
});

describe('ranking metrics agree with brute force on a random case with ties', () => {
  const rng = createRng(1234);
  const n = 300;
  const labels: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = rng.next() < 0.3 ? 1 : 0;
    labels.push(y);
    // Overlapping classes, rounded to one decimal so that many scores tie.
    scores.push(Math.round((rng.normal(y, 1) + 5) * 10) / 10);
  }

  it('AUROC', () => {
    const expected = bruteAuroc(labels, scores);
    expect(expected).toBeGreaterThan(0.6);
    expect(expected).toBeLessThan(0.95);
    expect(rocAuc(labels, scores)).toBeCloseTo(expected, 12);
  });

  it('swapping the positive class complements AUROC', () => {
    const flipped = labels.map((y) => 1 - y);
    const negated = scores.map((s) => -s);
    expect(rocAuc(flipped, scores)).toBeCloseTo(1 - rocAuc(labels, scores), 12);
    expect(rocAuc(flipped, negated)).toBeCloseTo(rocAuc(labels, scores), 12);
  });
});
