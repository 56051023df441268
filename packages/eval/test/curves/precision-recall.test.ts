import { describe, expect, it } from 'vitest';
import { averagePrecision } from '../../src/metrics/average-precision.js';
import { precisionRecallCurve } from '../../src/curves/precision-recall.js';
import { randomCase } from './random-case.js';

/** Step-wise area as sklearn's average_precision_score: −Σ Δrecall · precision. */
function stepArea(recall: number[], precision: number[]): number {
  let a = 0;
  for (let i = 0; i < recall.length - 1; i++) a -= (recall[i + 1] - recall[i]) * precision[i];
  return a;
}

// Sorted: 0.9(+) | 0.8(+,−) | 0.6(+,−) | 0.1(−).
const labels = [1, 0, 1, 1, 0, 0];
const scores = [0.9, 0.8, 0.8, 0.6, 0.6, 0.1];

describe('precisionRecallCurve', () => {
  it('hand case: increasing thresholds, final (recall 0, precision 1)', () => {
    const c = precisionRecallCurve(labels, scores);
    expect(c.thresholds).toEqual([0.1, 0.6, 0.8, 0.9]);
    const expectedPrecision = [3 / 6, 3 / 5, 2 / 3, 1, 1];
    const expectedRecall = [1, 1, 2 / 3, 1 / 3, 0];
    c.precision.forEach((p, i) => expect(p).toBeCloseTo(expectedPrecision[i], 12));
    c.recall.forEach((r, i) => expect(r).toBeCloseTo(expectedRecall[i], 12));
  });

  it('its step-wise area is averagePrecision', () => {
    const { labels: y, scores: s } = randomCase(7, 500);
    const c = precisionRecallCurve(y, s);
    expect(stepArea(c.recall, c.precision)).toBeCloseTo(averagePrecision(y, s), 12);
  });
});
