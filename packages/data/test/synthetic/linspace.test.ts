import { describe, expect, test } from 'vitest';
import { linspace } from '../../src/synthetic/linspace.js';

describe('linspace', () => {
  test('includes both ends with even spacing', () => {
    const g = linspace(-10, 10, 250);
    expect(g.length).toBe(250);
    expect(g[0]).toBe(-10);
    expect(g[249]).toBe(10);
    expect(g[1] - g[0]).toBeCloseTo(20 / 249, 12);
    expect(Array.from(linspace(0, 1, 9))).toEqual([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1]);
    expect(Array.from(linspace(3, 5, 1))).toEqual([3]);
  });
});
