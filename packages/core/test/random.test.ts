import { describe, expect, test } from 'vitest';
import { createRng, permutation } from '../src/random.js';

describe('createRng', () => {
  test('same seed gives the same stream, another seed another', () => {
    const a = createRng(7),
      b = createRng(7),
      c = createRng(8);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
  });
  test('normal draws have mean 0 and std 1', () => {
    const rng = createRng(1);
    const n = 20000;
    const xs = Array.from({ length: n }, () => rng.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
  test('permutation holds every index once', () => {
    const p = permutation(100, createRng(3));
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
