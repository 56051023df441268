import { describe, expect, it } from 'vitest';
import { fillDropoutMask } from '../../src/index.js';

describe('dropout masks', () => {
  it('draws masks at the requested rate, seeded, scaled by 1/(1-p)', () => {
    const m = fillDropoutMask(new Float32Array(100_001), 0.3, 9);
    let dropped = 0;
    for (const v of m) {
      if (v === 0) dropped++;
      else expect(v).toBeCloseTo(1 / 0.7, 6);
    }
    const se = Math.sqrt((0.3 * 0.7) / m.length);
    expect(Math.abs(dropped / m.length - 0.3)).toBeLessThan(4 * se);
    expect(fillDropoutMask(new Float32Array(101), 0.3, 9)).toEqual(m.subarray(0, 101));
    expect(fillDropoutMask(new Float32Array(5), 0, 9)).toEqual(new Float32Array(5).fill(1));
    expect(() => fillDropoutMask(new Float32Array(5), 1, 9)).toThrow(/rate/);
  });
});
