import { describe, expect, test } from 'vitest';
import { makeScore, SCORE_DIRECTIONS, type Score } from '../src/index.js';

describe('Score', () => {
  test('makeScore keeps the values array and states the direction', () => {
    const values = Float32Array.from([0.9, 0.4]);
    const score: Score<Float32Array> = makeScore('mcp', values, 'higher-is-more-confident');
    expect(score.values).toBe(values);
    expect(score).toEqual({ name: 'mcp', values, direction: 'higher-is-more-confident' });
  });

  test('exactly two directions exist', () => {
    expect([...SCORE_DIRECTIONS]).toEqual(['higher-is-more-uncertain', 'higher-is-more-confident']);
  });
});
