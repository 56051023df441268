import { createRng } from '@rdl/core';
import { describe, expect, it } from 'vitest';
import { averagePrecision } from '../../src/metrics/average-precision.js';

// Brute-force reference straight from the definition, O(n²).
/** AP = mean over positives of the precision at that positive's score (all samples scoring ≥ it). */
function bruteAp(labels: number[], scores: number[]): number {
  let sum = 0;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    positives++;
    let above = 0;
    let posAbove = 0;
    for (let j = 0; j < labels.length; j++) {
      if (scores[j] >= scores[i]) {
        above++;
        posAbove += labels[j];
      }
    }
    sum += posAbove / above;
  }
  return sum / positives;
}

describe('ranking metrics on hand cases', () => {
  // Sorted: 0.9(+) | 0.8(+,−) | 0.6(+,−) | 0.1(−). P = N = 3.
  const labels = [1, 0, 1, 1, 0, 0];
  const scores = [0.9, 0.8, 0.8, 0.6, 0.6, 0.1];

  it('AP groups tied scores into one threshold: 1/3·1 + 1/3·2/3 + 1/3·3/5 = 34/45', () => {
    expect(averagePrecision(labels, scores)).toBeCloseTo(34 / 45, 12);
    // Splitting each tie with the positive first would give 1/3·1 + 1/3·1 + 1/3·3/4 = 11/12 instead.
    expect(averagePrecision(labels, scores)).not.toBeCloseTo(11 / 12, 6);
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

  it('AP', () => {
    expect(averagePrecision(labels, scores)).toBeCloseTo(bruteAp(labels, scores), 12);
  });
});
