import { createRng } from '@rdl/core';
import { describe, expect, it } from 'vitest';
import { bootstrapIntervals } from '../../src/metrics/bootstrap.js';

const mean = (values: number[], idx: Int32Array) => idx.reduce((a, i) => a + values[i]!, 0) / idx.length;

describe('bootstrapIntervals', () => {
  it('takes type-7 percentiles of the resampled values', () => {
    // A statistic that returns 0, 1, …, 100 on successive resamples: the 5th and 95th percentiles are 5 and 95.
    let r = 0;
    const out = bootstrapIntervals([3], () => ({ k: r++ }), { resamples: 101, seed: 1, level: 0.9 });
    expect(out.k).toMatchObject({ level: 0.9, resamples: 101, skipped: 0 });
    expect(out.k.low).toBeCloseTo(5, 9);
    expect(out.k.high).toBeCloseTo(95, 9);
    r = 0;
    // 0 … 9 at level 0.5: h = 9·0.25 = 2.25 → 2.25, and 9·0.75 = 6.75.
    const mid = bootstrapIntervals([3], () => ({ k: r++ }), { resamples: 10, seed: 1, level: 0.5 });
    expect(mid.k.low).toBeCloseTo(2.25, 9);
    expect(mid.k.high).toBeCloseTo(6.75, 9);
  });

  it('the interval of a mean matches the normal approximation ±1.96·sd/√n', () => {
    const rng = createRng(3);
    const values = Array.from({ length: 400 }, () => rng.normal(0, 1));
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
    const half = (1.96 * sd) / Math.sqrt(values.length);
    const out = bootstrapIntervals([values.length], (idx) => ({ mean: mean(values, idx) }), { resamples: 4000, seed: 7 });
    // Monte-Carlo error of a 2.5th percentile from 4,000 resamples is about 3% of the half-width.
    expect(Math.abs(out.mean.low - (m - half))).toBeLessThan(0.12 * half);
    expect(Math.abs(out.mean.high - (m + half))).toBeLessThan(0.12 * half);
  });

  it('resamples within each stratum, keeping its size, and draws each index with probability 1/size', () => {
    const seen = new Float64Array(5);
    bootstrapIntervals(
      [2, 3],
      (idx) => {
        expect(idx.length).toBe(5);
        expect(idx.filter((i) => i < 2).length).toBe(2);
        for (let k = 1; k < idx.length; k++) expect(idx[k]).toBeGreaterThanOrEqual(idx[k - 1]!);
        idx.forEach((i) => seen[i]!++);
        return { x: 0 };
      },
      { resamples: 3000, seed: 2 },
    );
    // Each index is drawn once per resample on average.
    for (const s of seen) expect(s / 3000).toBeCloseTo(1, 1);
  });

  it('is reproducible with a seed and differs with another', () => {
    const values = Array.from({ length: 50 }, (_, i) => (i * 7) % 13);
    const run = (seed: number) => bootstrapIntervals([50], (idx) => ({ m: mean(values, idx) }), { resamples: 200, seed });
    expect(run(4)).toEqual(run(4));
    expect(run(4).m.low).not.toBe(run(5).m.low);
  });

  it('leaves out and counts resamples where the metric is undefined', () => {
    let r = 0;
    const out = bootstrapIntervals([4], () => ({ v: r++ % 4 === 0 ? NaN : 1 }), { resamples: 40, seed: 1 });
    expect(out.v).toMatchObject({ low: 1, high: 1, skipped: 10 });
    expect(() => bootstrapIntervals([4], () => ({ v: NaN }), { resamples: 5, seed: 1 })).toThrow(
      /'v' is undefined on every one of 5 resamples/,
    );
  });

  it('validates its options and strata', () => {
    expect(() => bootstrapIntervals([4], () => ({}), { resamples: 1, seed: 1 })).toThrow(/bootstrap: resamples/);
    expect(() => bootstrapIntervals([4], () => ({}), { resamples: 10, seed: 1, level: 1 })).toThrow(/bootstrap: level/);
    expect(() => bootstrapIntervals([0], () => ({}), { resamples: 10, seed: 1 })).toThrow(/strata\[0\]/);
  });
});
