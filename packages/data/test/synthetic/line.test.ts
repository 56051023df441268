import { describe, expect, test } from 'vitest';
import { lineDataset, lineParamsSchema } from '../../src/synthetic/line.js';

const min = (a: ArrayLike<number>): number => Math.min(...Array.from(a));
const max = (a: ArrayLike<number>): number => Math.max(...Array.from(a));
const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

describe('regression generators', () => {
  test('line: defaults match SPEC 1.1 and the residuals have the noise scale', () => {
    expect(lineParamsSchema.parse({})).toMatchObject({ n: 25, xLow: 0, xHigh: 2, w0: -0.3, w1: 0.5, noiseStd: 0.2 });
    const d = lineDataset({ n: 2000, seed: 3 });
    expect(d.x.length).toBe(2000);
    expect(min(d.x)).toBeGreaterThanOrEqual(0);
    expect(max(d.x)).toBeLessThan(2);
    const residuals = Array.from(d.x, (x, i) => d.y[i] - (-0.3 + 0.5 * x));
    expect(Math.abs(mean(residuals))).toBeLessThan(0.02);
    expect(Math.sqrt(mean(residuals.map((r) => r * r)))).toBeCloseTo(0.2, 1);
    expect(d.xTest.length).toBe(250);
    expect(d.xTest[0]).toBe(-10);
    expect(d.yTest[0]).toBeCloseTo(-0.3 - 5, 12); // noise-free truth
  });

  test('line is deterministic per seed and differs across seeds', () => {
    expect(lineDataset({ seed: 7 })).toEqual(lineDataset({ seed: 7 }));
    expect(lineDataset({ seed: 7 }).x).not.toEqual(lineDataset({ seed: 8 }).x);
    expect(lineDataset({ seed: 7 }).x.length).toBe(25);
  });
});
