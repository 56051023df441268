import { describe, expect, test } from 'vitest';
import { twoCloudsDataset } from '../../src/synthetic/two-clouds.js';

const min = (a: ArrayLike<number>): number => Math.min(...Array.from(a));
const max = (a: ArrayLike<number>): number => Math.max(...Array.from(a));

describe('regression generators', () => {
  test('two clouds leave a hole between the intervals', () => {
    const d = twoCloudsDataset({ seed: 1 });
    expect(d.x.length).toBe(20);
    const left = Array.from(d.x.subarray(0, 10));
    const right = Array.from(d.x.subarray(10));
    expect(min(left)).toBeGreaterThanOrEqual(-3);
    expect(max(left)).toBeLessThan(-1);
    expect(min(right)).toBeGreaterThanOrEqual(1);
    expect(max(right)).toBeLessThan(3);
    expect(d.xTest.length).toBe(100);
    expect([d.xTest[0], d.xTest[99]]).toEqual([-12, 12]);
    expect(twoCloudsDataset({ seed: 1 })).toEqual(d);
  });
});
