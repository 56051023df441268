import { describe, expect, it } from 'vitest';
import { downsampleCurve } from '../../src/curves/downsample.js';
import { precisionRecallCurve } from '../../src/curves/precision-recall.js';
import { randomCase } from './random-case.js';

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
