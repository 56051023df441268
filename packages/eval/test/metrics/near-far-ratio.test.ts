import { describe, expect, it } from 'vitest';
import { nearFarRatio } from '../../src/metrics/near-far-ratio.js';

describe('nearFarRatio', () => {
  // Train (0,0)=0.1 and (1,0)=0.3 → near = 0.2.
  // Grid: (0,0.5) d=.5 v=.2; (5,0) d=4 v=.8; (0,−3) d=3 v=.6; (0.5,0) d=.5 v=.9.
  const base = {
    gridPoints: new Float32Array([0, 0.5, 5, 0, 0, -3, 0.5, 0]),
    gridValues: [0.2, 0.8, 0.6, 0.9],
    trainPoints: new Float32Array([0, 0, 1, 0]),
    trainValues: new Float32Array([0.1, 0.3]),
  };

  it('farDistance 1: far points (5,0) and (0,−3), far = 0.7, ratio 3.5', () => {
    const r = nearFarRatio({ ...base, farDistance: 1 });
    expect(r.farCount).toBe(2);
    expect(r.near).toBeCloseTo(0.2, 6);
    expect(r.far).toBeCloseTo(0.7, 6);
    expect(r.ratio).toBeCloseTo(3.5, 5);
  });

  it('"far" is strictly farther: at farDistance 3 the point at distance exactly 3 is not far', () => {
    const r = nearFarRatio({ ...base, farDistance: 3 });
    expect(r.farCount).toBe(1);
    expect(r.far).toBeCloseTo(0.8, 6);
    expect(r.ratio).toBeCloseTo(4, 5);
  });

  it('throws when no grid point is far, and on malformed input', () => {
    expect(() => nearFarRatio({ ...base, farDistance: 10 })).toThrow(/no grid point is farther than farDistance = 10/);
    expect(() => nearFarRatio({ ...base, farDistance: 0 })).toThrow(/farDistance must be a positive finite number/);
    expect(() => nearFarRatio({ ...base, gridPoints: [0, 1, 2], farDistance: 1 })).toThrow(/gridPoints has 3 entries/);
    expect(() => nearFarRatio({ ...base, gridValues: [1], farDistance: 1 })).toThrow(
      /gridValues has 1 entries but gridPoints has 4 points/,
    );
    expect(() => nearFarRatio({ ...base, trainValues: [0.1, Number.NaN], farDistance: 1 })).toThrow(/trainValues\[1\]/);
  });
});
