import { describe, expect, test } from 'vitest';
import { moonsDataset } from '../../src/synthetic/moons.js';

const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

describe('classification generators', () => {
  test('moons without noise lie exactly on the two arcs', () => {
    const d = moonsDataset({ n: 101, noise: 0, seed: 4 });
    expect(d.n).toBe(101);
    expect(d.y.filter((v) => v === 0).length).toBe(50);
    for (let i = 0; i < d.n; i++) {
      const [a, b] = [d.x[2 * i], d.x[2 * i + 1]];
      if (d.y[i] === 0) {
        expect(Math.hypot(a, b)).toBeCloseTo(1, 5);
        expect(b).toBeGreaterThanOrEqual(-1e-6);
      } else {
        expect(Math.hypot(1 - a, 0.5 - b)).toBeCloseTo(1, 5);
        expect(b).toBeLessThanOrEqual(0.5 + 1e-6);
      }
    }
  });

  test('moons noise has the requested scale and is seeded', () => {
    const d = moonsDataset({ seed: 9 });
    expect(d.n).toBe(1000);
    const clean = moonsDataset({ seed: 9, noise: 0 });
    // Same permutation for the same seed, so the difference is the noise alone.
    const diffs = Array.from(d.x, (v, i) => v - clean.x[i]);
    expect(Math.sqrt(mean(diffs.map((v) => v * v)))).toBeCloseTo(0.05, 2);
    expect(moonsDataset({ seed: 9 })).toEqual(d);
    expect(() => moonsDataset({ noise: -0.1 })).toThrow(/moonsDataset: noise: /);
  });
});
