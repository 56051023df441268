import { describe, expect, test } from 'vitest';
import { deriveSeed } from '../src/derive-seed.js';

describe('deriveSeed', () => {
  test('is a pure function of (seed, name), an unsigned 32-bit integer', () => {
    const s = deriveSeed(0, 'week3/predict/mc');
    expect(deriveSeed(0, 'week3/predict/mc')).toBe(s);
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  test('different names, seeds or seeds 2^32 apart give different streams', () => {
    const names = ['a', 'b', 'week3/mnist/subset', 'week3/mnist/holdout', 'week3/predict/mc', 'week3/predict/mc2'];
    const seen = new Set<number>();
    for (const seed of [0, 1, 2, 2 ** 32, -1]) for (const name of names) seen.add(deriveSeed(seed, name));
    expect(seen.size).toBe(5 * names.length);
  });

  test('one changed bit of the seed flips about half of the output bits', () => {
    let flipped = 0;
    const trials = 256;
    for (let seed = 0; seed < trials; seed++) {
      let x = deriveSeed(seed, 'stream') ^ deriveSeed(seed ^ 1, 'stream');
      for (; x !== 0; x &= x - 1) flipped++;
    }
    expect(flipped / trials).toBeGreaterThan(13);
    expect(flipped / trials).toBeLessThan(19);
  });

  test('rejects seeds that are not safe integers and empty names', () => {
    expect(() => deriveSeed(0.5, 'x')).toThrow(/seed must be a safe integer/);
    expect(() => deriveSeed(0, '')).toThrow(/name must not be empty/);
  });
});
