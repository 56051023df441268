import { describe, expect, test } from 'vitest';
import { sinusoidDataset, sinusoidParamsSchema } from '../../src/synthetic/sinusoid.js';

const min = (a: ArrayLike<number>): number => Math.min(...Array.from(a));
const max = (a: ArrayLike<number>): number => Math.max(...Array.from(a));

describe('regression generators', () => {
  test('sinusoid: y = sin(2πx) + x + noise on [0, 1], test grid on [−1, 2]', () => {
    expect(sinusoidParamsSchema.parse({})).toMatchObject({ n: 50, xLow: 0, xHigh: 1, noiseStd: 0.2 });
    const d = sinusoidDataset({ seed: 2, noiseStd: 0 });
    expect(d.x.length).toBe(50);
    expect(min(d.x)).toBeGreaterThanOrEqual(0);
    expect(max(d.x)).toBeLessThan(1);
    d.x.forEach((x, i) => expect(d.y[i]).toBeCloseTo(Math.sin(2 * Math.PI * x) + x, 12));
    expect(d.xTest.length).toBe(500);
    expect([d.xTest[0], d.xTest[499]]).toEqual([-1, 2]);
    expect(d.yTest[499]).toBeCloseTo(2, 12);
  });
});
