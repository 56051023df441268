import { createRng } from '@rdl/core';
import { describe, expect, it } from 'vitest';
import { fprAtTpr } from '../../src/metrics/fpr-at-tpr.js';

// Brute-force reference straight from the definition, O(n²).
function bruteFprAtTpr(labels: number[], scores: number[], tpr: number): number {
  const p = labels.filter((y) => y === 1).length;
  const n = labels.length - p;
  const thresholds = [...new Set(scores)].sort((a, b) => b - a);
  for (const t of thresholds) {
    const tp = labels.filter((y, i) => y === 1 && scores[i] >= t).length;
    if (tp / p >= tpr) return labels.filter((y, i) => y === 0 && scores[i] >= t).length / n;
  }
  throw new Error('unreachable');
}

describe('ranking metrics on hand cases', () => {
  // Sorted: 0.9(+) | 0.8(+,−) | 0.6(+,−) | 0.1(−). P = N = 3.
  const labels = [1, 0, 1, 1, 0, 0];
  const scores = [0.9, 0.8, 0.8, 0.6, 0.6, 0.1];

  it('FPR at the first grouped threshold reaching the recall', () => {
    expect(fprAtTpr(labels, scores)).toBeCloseTo(2 / 3, 12); // recall 1 needs threshold 0.6: 2 of 3 negatives
    expect(fprAtTpr(labels, scores, 0.5)).toBeCloseTo(1 / 3, 12); // threshold 0.8: recall 2/3
    expect(fprAtTpr(labels, scores, 1 / 3)).toBe(0); // threshold 0.9
  });
});

describe('ranking metrics reject bad input with a clear message', () => {
  it('fprAtTpr rejects a target recall outside (0, 1]', () => {
    expect(() => fprAtTpr([0, 1], [0, 1], 0)).toThrow(/tpr must be a number in \(0, 1\]/);
    expect(() => fprAtTpr([0, 1], [0, 1], 95)).toThrow(/tpr/);
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

  it('FPR at several recalls', () => {
    for (const t of [0.5, 0.8, 0.95, 1]) expect(fprAtTpr(labels, scores, t)).toBeCloseTo(bruteFprAtTpr(labels, scores, t), 12);
  });
});
