import { createRng } from '@rdl/core';
import { describe, expect, it } from 'vitest';
import { aurc } from '../../src/metrics/aurc.js';

/** Straight from the definition: sort by confidence (no ties), mean of the running error rate. */
function bruteAurc(isError: number[], confidence: number[]): number {
  const order = isError.map((_, i) => i).sort((a, b) => confidence[b]! - confidence[a]!);
  let errors = 0;
  let sum = 0;
  order.forEach((i, k) => {
    errors += isError[i]!;
    sum += errors / (k + 1);
  });
  return sum / order.length;
}

describe('aurc', () => {
  it('hand case: (0 + 1/2 + 1/3 + 1/2) / 4', () => {
    expect(aurc([0, 1, 0, 1], [0.9, 0.8, 0.7, 0.1])).toBeCloseTo((0 + 1 / 2 + 1 / 3 + 1 / 2) / 4, 14);
  });

  it('a tie group counts the risk at its end for each member: (0 + 1/3 + 1/3 + 1/2) / 4', () => {
    expect(aurc([0, 1, 0, 1], [0.9, 0.8, 0.8, 0.1])).toBeCloseTo(7 / 24, 14);
  });

  it('perfect ranking reaches the floor, reversed ranking the ceiling', () => {
    // Errors last: risks 0, 0, 1/3 → 1/9; errors first: 1, 1/2, 1/3 → 11/18.
    expect(aurc([0, 0, 1], [3, 2, 1])).toBeCloseTo(1 / 9, 14);
    expect(aurc([0, 0, 1], [1, 2, 3])).toBeCloseTo(11 / 18, 14);
  });

  it('equals the brute-force mean risk on random untied data', () => {
    const rng = createRng(5);
    const isError = Array.from({ length: 300 }, () => (rng.next() < 0.15 ? 1 : 0));
    const confidence = isError.map((e) => rng.normal(e ? 0 : 1, 1));
    expect(aurc(isError, confidence)).toBeCloseTo(bruteAurc(isError, confidence), 12);
  });
});
