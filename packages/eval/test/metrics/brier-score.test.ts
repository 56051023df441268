import { describe, expect, it } from 'vitest';
import { brierScore } from '../../src/metrics/brier-score.js';

describe('brierScore', () => {
  it('sums over classes, averages over samples', () => {
    // [.5,.5]→.25+.25; [1,0]→0; [.2,.8]→.64+.64.
    expect(brierScore([0.5, 0.5, 1, 0, 0.2, 0.8], [0, 0, 0])).toBeCloseTo((0.5 + 0 + 1.28) / 3, 12);
    // 3 classes: (.7−1)² + .2² + .1² = .14.
    expect(brierScore([0.7, 0.2, 0.1], [0])).toBeCloseTo(0.14, 12);
    expect(brierScore([0, 1], [0])).toBe(2);
  });
});
