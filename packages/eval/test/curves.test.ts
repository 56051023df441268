import { createRng } from '@rdl/data';
import { describe, expect, it } from 'vitest';
import { averagePrecision, downsampleCurve, precisionRecallCurve, reliabilityDiagram, rocAuc, rocCurve } from '../src/index.js';

function trapz(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return a;
}

/** Step-wise area as sklearn's average_precision_score: −Σ Δrecall · precision. */
function stepArea(recall: number[], precision: number[]): number {
  let a = 0;
  for (let i = 0; i < recall.length - 1; i++) a -= (recall[i + 1] - recall[i]) * precision[i];
  return a;
}

function randomCase(seed: number, n: number, round = true): { labels: number[]; scores: number[] } {
  const rng = createRng(seed);
  const labels: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = rng.next() < 0.2 ? 1 : 0;
    labels.push(y);
    const s = rng.normal(1.5 * y, 1);
    scores.push(round ? Math.round(s * 100) / 100 : s);
  }
  return { labels, scores };
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

describe('reliabilityDiagram', () => {
  it('per-bin confidence, accuracy and count', () => {
    const probs = new Float32Array([0.95, 0.05, 0.85, 0.15, 0.25, 0.75, 0.35, 0.65, 0.55, 0.45]);
    const d = reliabilityDiagram(probs, [0, 1, 1, 1, 1], 5);
    expect(d.count).toBe(5);
    expect(d.bins.map((b) => b.count)).toEqual([0, 0, 1, 2, 2]);
    expect(d.bins[0].confidence).toBeNull();
    expect(d.bins[0].accuracy).toBeNull();
    expect(d.bins[2].accuracy).toBe(0);
    expect(d.bins[2].confidence).toBeCloseTo(0.55, 6);
    expect(d.bins[3].accuracy).toBe(1);
    expect(d.bins[3].confidence).toBeCloseTo(0.7, 6);
    expect(d.bins[4].accuracy).toBe(0.5);
    expect(d.bins[4].confidence).toBeCloseTo(0.9, 6);
    expect(d.bins[4].lower).toBeCloseTo(0.8, 12);
    expect(d.bins[4].upper).toBe(1);
    expect(d.ece).toBeCloseTo(0.39, 6);
  });
});

describe('downsampleCurve', () => {
  it('thins a 20k-point PR curve to ≤ 500 points keeping ends and shape', () => {
    const { labels: y, scores: s } = randomCase(9, 20_000, false);
    const c = precisionRecallCurve(y, s);
    const d = downsampleCurve(c.recall, c.precision, 500);
    expect(c.recall.length).toBe(20_001);
    expect(d.indices.length).toBe(500);
    expect(d.indices[0]).toBe(0);
    expect(d.indices[d.indices.length - 1]).toBe(c.recall.length - 1);
    for (let i = 1; i < d.indices.length; i++) expect(d.indices[i]).toBeGreaterThan(d.indices[i - 1]);
    expect(d.x).toEqual(d.indices.map((i) => c.recall[i]));
    // Shape kept: the step-wise area moves by less than 0.01.
    expect(Math.abs(stepArea(d.x, d.y) - stepArea(c.recall, c.precision))).toBeLessThan(0.01);
  });

  it('keeps both corners of a sharp step', () => {
    const n = 10_001;
    const x = Array.from({ length: n }, (_, i) => i / (n - 1));
    const y = x.map((v, i) => (i < 5000 ? 0 : 1));
    const d = downsampleCurve(x, y, 50);
    expect(trapz(d.x, d.y)).toBeCloseTo(trapz(x, y), 1);
    expect(d.y).toContain(0);
    expect(d.y).toContain(1);
    const jump = d.y.findIndex((v) => v === 1);
    // Both sides of the jump survive (the bucket width here is ~0.02, the original spacing 1e-4).
    expect(d.x[jump] - d.x[jump - 1]).toBeLessThan(1e-3);
  });

  it('returns short curves whole and validates input', () => {
    expect(downsampleCurve([0, 1, 2], [1, 2, 3]).indices).toEqual([0, 1, 2]);
    expect(() => downsampleCurve([0, 1], [1], 10)).toThrow(/x has 2 entries but y has 1/);
    expect(() => downsampleCurve([0, 1], [1, 2], 2)).toThrow(/maxPoints must be an integer ≥ 3/);
  });
});
