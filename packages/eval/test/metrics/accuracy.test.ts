import { describe, expect, it } from 'vitest';
import { accuracy } from '../../src/metrics/accuracy.js';

describe('accuracy', () => {
  it('counts equal entries', () => {
    expect(accuracy([0, 1, 2, 2], new Int32Array([0, 1, 1, 2]))).toBe(0.75);
    expect(() => accuracy([0, 1], [0])).toThrow(/predicted has 2 entries but truth has 1/);
    expect(() => accuracy([], [])).toThrow(/empty/);
  });
});
