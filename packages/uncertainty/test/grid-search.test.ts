import { describe, expect, it } from 'vitest';
import { gridPoints, gridSearch, selectBest, tuneMethod, type HyperSpace, type UncertaintyMethod } from '../src/index.js';
import { makeScore } from '@rdl/core';

type P = { a: number; mode: 'x' | 'y' };

describe('gridPoints', () => {
  it('is the Cartesian product with the first key outermost', () => {
    expect(gridPoints<P>({ a: [1, 2], mode: ['x', 'y'] })).toEqual([
      { a: 1, mode: 'x' },
      { a: 1, mode: 'y' },
      { a: 2, mode: 'x' },
      { a: 2, mode: 'y' },
    ]);
  });

  it('has one empty point for an empty space and rejects a key without values', () => {
    expect(gridPoints({})).toEqual([{}]);
    expect(() => gridPoints<P>({ a: [], mode: ['x'] })).toThrow(/'a' has no values/);
  });
});

describe('selectBest', () => {
  it('keeps the first of equal values and never chooses NaN', () => {
    const table = [
      { params: { a: 1 }, value: Number.NaN },
      { params: { a: 2 }, value: 0.5 },
      { params: { a: 3 }, value: 0.5 },
      { params: { a: 4 }, value: 0.1 },
    ];
    const result = selectBest(table);
    expect(result.best).toEqual({ a: 2 });
    expect(result.value).toBe(0.5);
    expect(result.table).toEqual(table);
    expect(() => selectBest([{ params: {}, value: Number.NaN }])).toThrow(/every value is NaN/);
    expect(() => selectBest([])).toThrow(/empty grid/);
  });
});

describe('gridSearch', () => {
  it('evaluates every point in grid order and returns the whole table', async () => {
    const seen: P[] = [];
    const space: HyperSpace<P> = { a: [1, 2, 3], mode: ['x', 'y'] };
    const result = await gridSearch(space, async (p) => {
      seen.push(p);
      return -((p.a - 2) ** 2) + (p.mode === 'y' ? 0.1 : 0);
    });
    expect(seen).toEqual(gridPoints(space));
    expect(result.best).toEqual({ a: 2, mode: 'y' });
    expect(result.table).toHaveLength(6);
  });
});

describe('tuneMethod', () => {
  it('fits at each point before scoring when the method fits', async () => {
    let fittedWith = 0;
    const method: UncertaintyMethod<number[], { scale: number }, number> = {
      name: 'toy',
      space: { scale: [1, 2, 3] },
      defaults: { scale: 1 },
      fit: async (offset, params) => {
        fittedWith = offset + (params?.scale ?? 1);
      },
      score: async (input) =>
        makeScore(
          'toy',
          Float32Array.from(input, (v) => v * fittedWith),
          'higher-is-more-uncertain',
        ),
    };
    const result = await tuneMethod(method, { input: [1], fitData: 10, objective: (s) => 1 - Math.abs(s.values[0]! - 12) });
    expect(result.best).toEqual({ scale: 2 });
    expect(result.table.map((r) => r.value)).toEqual([0, 1, 0]);
    await expect(tuneMethod(method, { input: [1], objective: () => 0 })).rejects.toThrow(/needs fitData/);
  });
});
