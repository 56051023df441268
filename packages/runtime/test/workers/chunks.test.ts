import { describe, expect, it } from 'vitest';
import { shareChunks, splitRange } from '../../src/index.js';

describe('splitRange', () => {
  it('splits ranges into near-equal contiguous parts', () => {
    expect(splitRange(7, 2)).toEqual([
      [0, 4],
      [4, 7],
    ]);
    expect(splitRange(1, 2)).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });
});

describe('shareChunks', () => {
  it('runs everything on the calling thread in one call without workers', async () => {
    const calls: [number, number][] = [];
    await shareChunks<never>(10, [], { maxChunk: 3, local: async (a, b) => void calls.push([a, b]), remote: async () => undefined });
    expect(calls).toEqual([[0, 10]]);
  });

  it('covers every item exactly once across the calling thread and the workers, within maxChunk', async () => {
    const seen = new Int32Array(1000);
    const by = new Map<string, number>();
    const record = (who: string, a: number, b: number): void => {
      expect(b - a).toBeGreaterThan(0);
      expect(b - a).toBeLessThanOrEqual(20);
      for (let i = a; i < b; i++) seen[i]++;
      by.set(who, (by.get(who) ?? 0) + b - a);
    };
    const prepared: string[] = [];
    await shareChunks(1000, ['w1', 'w2'], {
      maxChunk: 20,
      prepare: async (w) => void prepared.push(w),
      local: async (a, b) => record('local', a, b),
      remote: async (w, a, b) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        record(w, a, b);
      },
    });
    expect(seen.every((n) => n === 1)).toBe(true);
    expect(prepared.sort()).toEqual(['w1', 'w2']);
    expect(by.get('w1')).toBeGreaterThan(0);
    expect(by.get('w2')).toBeGreaterThan(0);
  });

  it('fails when a worker fails', async () => {
    await expect(
      shareChunks(100, ['w'], {
        maxChunk: 10,
        local: async () => undefined,
        remote: async () => {
          throw new Error('boom');
        },
      }),
    ).rejects.toThrow('boom');
  });
});
