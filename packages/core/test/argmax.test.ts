import { describe, expect, test } from 'vitest';
import { argmaxRow, argmaxRows } from '../src/index.js';

describe('argmaxRows', () => {
  test('picks the largest entry of each row; ties go to the lowest index', () => {
    expect([...argmaxRows([0.1, 0.7, 0.2, 0.5, 0.5, 0], 3)]).toEqual([1, 0]);
  });

  test('a NaN never beats an earlier entry', () => {
    expect(argmaxRow([0.2, Number.NaN, 0.1], 0, 3)).toBe(0);
  });

  test('reads a row at an offset', () => {
    expect(argmaxRow([9, 9, 0, 1, 3], 2, 3)).toBe(2);
  });

  test('rejects a length that is not a multiple of the width', () => {
    expect(() => argmaxRows([1, 2, 3], 2)).toThrow(/not a multiple of width 2/);
    expect(() => argmaxRows([1, 2], 0)).toThrow(/positive integer/);
  });
});
