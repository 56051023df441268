import { describe, expect, it } from 'vitest';
import { rocCurve } from '../../src/curves/roc.js';
import { rocAuc } from '../../src/metrics/roc-auc.js';
import { randomCase } from './random-case.js';

function trapz(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return a;
}

// Sorted: 0.9(+) | 0.8(+,−) | 0.6(+,−) | 0.1(−).
const labels = [1, 0, 1, 1, 0, 0];
const scores = [0.9, 0.8, 0.8, 0.6, 0.6, 0.1];

describe('rocCurve', () => {
  it('hand case without dropping points', () => {
    const c = rocCurve(labels, scores, { dropIntermediate: false });
    expect(c.thresholds).toEqual([Infinity, 0.9, 0.8, 0.6, 0.1]);
    const fpr = [0, 0, 1 / 3, 2 / 3, 1];
    const tpr = [0, 1 / 3, 2 / 3, 1, 1];
    c.fpr.forEach((v, i) => expect(v).toBeCloseTo(fpr[i], 12));
    c.tpr.forEach((v, i) => expect(v).toBeCloseTo(tpr[i], 12));
  });

  it('drops the collinear point (0.8) by default, as sklearn', () => {
    const c = rocCurve(labels, scores);
    expect(c.thresholds).toEqual([Infinity, 0.9, 0.6, 0.1]);
    expect(c.fpr.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 0, Math.round((2 / 3) * 1e9) / 1e9, 1]);
    expect(c.tpr.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, Math.round((1 / 3) * 1e9) / 1e9, 1, 1]);
  });

  it('its trapezoidal area is rocAuc, with or without dropping', () => {
    const { labels: y, scores: s } = randomCase(8, 500);
    const full = rocCurve(y, s, { dropIntermediate: false });
    const thin = rocCurve(y, s);
    expect(thin.fpr.length).toBeLessThan(full.fpr.length);
    expect(trapz(full.fpr, full.tpr)).toBeCloseTo(rocAuc(y, s), 12);
    expect(trapz(thin.fpr, thin.tpr)).toBeCloseTo(rocAuc(y, s), 12);
  });
});
