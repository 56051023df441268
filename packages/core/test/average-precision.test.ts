import { describe, expect, it } from 'vitest';
import { averagePrecision } from '../src/average-precision.js';
import { createRng } from '../src/random.js';

// Brute force from the definition: mean over positives of the precision at that positive's score.
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

describe('averagePrecision (core)', () => {
  it('groups tied scores into one threshold: 34/45 on the hand case', () => {
    expect(averagePrecision([1, 0, 1, 1, 0, 0], [0.9, 0.8, 0.8, 0.6, 0.6, 0.1])).toBeCloseTo(34 / 45, 12);
  });

  it('agrees with brute force on a random case with ties', () => {
    const rng = createRng(99);
    const labels: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < 200; i++) {
      const y = rng.next() < 0.2 ? 1 : 0;
      labels.push(y);
      scores.push(Math.round(rng.normal(y, 1) * 10) / 10);
    }
    expect(averagePrecision(labels, scores)).toBeCloseTo(bruteAp(labels, scores), 12);
  });

  it('names the function and the problem on bad input', () => {
    expect(() => averagePrecision([0, 0], [0.1, 0.2])).toThrow(/averagePrecision: labels hold no positives/);
    expect(() => averagePrecision([1, 0], [0.1])).toThrow(/averagePrecision: labels has 2 entries but scores has 1/);
  });
});
