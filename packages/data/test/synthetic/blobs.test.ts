import { describe, expect, test } from 'vitest';
import { blobsDataset } from '../../src/synthetic/blobs.js';

const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

describe('classification generators', () => {
  test('blobs: balanced, shuffled, centred on the SPEC centres', () => {
    const d = blobsDataset({ seed: 11 });
    expect(d.n).toBe(400);
    expect(d.x).toBeInstanceOf(Float32Array);
    expect(d.x.length).toBe(800);
    expect(d.y.reduce((s, v) => s + v, 0)).toBe(200);
    // Shuffled: the first half is not all one class.
    expect(new Set(d.y.subarray(0, 200)).size).toBe(2);
    for (const [label, centre] of [
      [0, -2],
      [1, 2],
    ] as const) {
      const rows = Array.from(d.y.keys()).filter((i) => d.y[i] === label);
      expect(mean(rows.map((i) => d.x[2 * i]))).toBeCloseTo(centre, 0);
      expect(mean(rows.map((i) => d.x[2 * i + 1]))).toBeCloseTo(centre, 0);
      const sd = Math.sqrt(mean(rows.map((i) => (d.x[2 * i] - centre) ** 2)));
      expect(sd).toBeGreaterThan(0.65);
      expect(sd).toBeLessThan(0.95);
    }
    expect(blobsDataset({ seed: 11 })).toEqual(d);
    expect(blobsDataset({ seed: 12 }).x).not.toEqual(d.x);
    const odd = blobsDataset({
      n: 7,
      centres: [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
      seed: 1,
    });
    expect([0, 1, 2].map((c) => odd.y.filter((v) => v === c).length)).toEqual([3, 2, 2]);
  });
});
