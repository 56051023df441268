import { describe, expect, it } from 'vitest';
import { makeScore } from '@rdl/core';
import { scoreGrid, withDefaults, type UncertaintyMethod } from '../src/index.js';

type P = { scale: number; mode: 'a' | 'b' };

describe('withDefaults', () => {
  it('overrides given keys only; undefined keeps the default', () => {
    const defaults: P = { scale: 1, mode: 'a' };
    expect(withDefaults(defaults, { scale: 3 })).toEqual({ scale: 3, mode: 'a' });
    expect(withDefaults(defaults, { mode: undefined })).toEqual(defaults);
    expect(withDefaults(defaults)).not.toBe(defaults);
  });
});

describe('scoreGrid', () => {
  const calls: P[] = [];
  const method: UncertaintyMethod<number[], P> = {
    name: 'toy',
    space: { scale: [1, 2], mode: ['a', 'b'] },
    defaults: { scale: 1, mode: 'a' },
    score: async (input, params) => {
      const p = withDefaults(method.defaults, params);
      calls.push(p);
      return makeScore(
        'toy',
        Float32Array.from(input, (v) => v * p.scale),
        p.mode === 'a' ? 'higher-is-more-uncertain' : 'higher-is-more-confident',
      );
    },
  };

  it('calls score once per point, in order, when the method shares no work', async () => {
    const points: P[] = [
      { scale: 2, mode: 'b' },
      { scale: 1, mode: 'a' },
    ];
    const scores = await scoreGrid(method, [1, 2], points);
    expect(calls).toEqual(points);
    expect(scores.map((s) => [Array.from(s.values), s.direction])).toEqual([
      [[2, 4], 'higher-is-more-confident'],
      [[1, 2], 'higher-is-more-uncertain'],
    ]);
  });

  it("uses the method's own scoreGrid when it has one", async () => {
    const shared = {
      ...method,
      scoreGrid: async (_: number[], points: readonly P[]) =>
        points.map(() => makeScore('shared', Float32Array.of(0), 'higher-is-more-uncertain')),
    };
    expect((await scoreGrid(shared, [1], [{ scale: 1, mode: 'a' }]))[0]!.name).toBe('shared');
  });
});
