import { describe, expect, it } from 'vitest';
import { syntheticOod } from '../src/synthetic-ood.js';

const P = 16;
// Four "digits" of 16 pixels, each a distinct ramp so a permutation can be recognised.
const digits = Uint8Array.from({ length: 4 * P }, (_, k) => (Math.floor(k / P) * 50 + (k % P) * 3) % 256);

describe('syntheticOod', () => {
  it('makes ⌈count·noiseShare⌉ noise images, then permuted digits with the ink of their source', () => {
    const out = syntheticOod(digits, P, { count: 5, noiseShare: 0.4, seed: 3 });
    expect(out.count).toBe(5);
    expect(out.kinds).toEqual(['noise', 'noise', 'permuted', 'permuted', 'permuted']);
    for (let k = 0; k < 3; k++) {
      const made = Array.from(out.pixels.subarray((2 + k) * P, (3 + k) * P));
      const source = Array.from(digits.subarray(k * P, (k + 1) * P));
      // Same multiset of pixel values, different order.
      expect([...made].sort((a, b) => a - b)).toEqual([...source].sort((a, b) => a - b));
      expect(made).not.toEqual(source);
    }
  });

  it('noise covers the byte range roughly uniformly', () => {
    const out = syntheticOod(new Uint8Array(0), 784, { count: 20, noiseShare: 1, seed: 1 });
    const values = Array.from(out.pixels);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(120);
    expect(mean).toBeLessThan(135);
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(255);
  });

  it('is seeded', () => {
    const a = syntheticOod(digits, P, { count: 4, seed: 9 });
    expect(Array.from(syntheticOod(digits, P, { count: 4, seed: 9 }).pixels)).toEqual(Array.from(a.pixels));
    expect(Array.from(syntheticOod(digits, P, { count: 4, seed: 10 }).pixels)).not.toEqual(Array.from(a.pixels));
  });

  it('says what is wrong with its inputs', () => {
    expect(() => syntheticOod(digits, P, { count: 10, noiseShare: 0, seed: 1 })).toThrow(/10 permuted digits asked for but only 4/);
    expect(() => syntheticOod(digits, 15, { count: 1, seed: 1 })).toThrow(/not a multiple of 15/);
    expect(() => syntheticOod(digits, P, { count: 0, seed: 1 })).toThrow(/syntheticOod: count/);
  });
});
