import { averagePrecision } from '@rdl/core';
import { describe, expect, it } from 'vitest';
import { auprError, bestEpochIndex, shouldStop } from '../src/confidnet-selection.js';

describe('ConfidNet epoch selection', () => {
  it('picks the validation-best epoch on a curve with an interior best', () => {
    expect(bestEpochIndex([0.31, 0.36, 0.42, 0.39, 0.33], 'higher')).toBe(2);
    expect(bestEpochIndex([0.08, 0.05, 0.061, 0.07], 'lower')).toBe(1);
  });

  it('breaks ties toward the earliest epoch, and skips NaN', () => {
    expect(bestEpochIndex([0.2, 0.5, 0.4, 0.5, 0.5], 'higher')).toBe(1);
    expect(bestEpochIndex([0.3, 0.1, 0.1], 'lower')).toBe(1);
    expect(bestEpochIndex([Number.NaN, 0.2, Number.NaN, 0.2], 'higher')).toBe(1);
    expect(bestEpochIndex([Number.NaN], 'higher')).toBe(-1);
    expect(bestEpochIndex([], 'lower')).toBe(-1);
  });

  it('stops once `patience` epochs pass without a strictly better value', () => {
    expect(shouldStop([0.3, 0.4, 0.35], 'higher', 2)).toBe(false);
    expect(shouldStop([0.3, 0.4, 0.35, 0.4], 'higher', 2)).toBe(true); // a tie is no improvement
    expect(shouldStop([0.3, 0.4, 0.35, 0.41], 'higher', 2)).toBe(false);
    expect(shouldStop([0.3], 'higher', 1)).toBe(false);
    expect(() => shouldStop([0.3], 'higher', 0)).toThrow(/patience/);
  });

  it('AUPR-Error is the average precision of the errors ranked least confident first', () => {
    const errors = [1, 0, 1, 0, 0];
    const confidence = [0.2, 0.9, 0.6, 0.5, 0.8];
    // Ranked by uncertainty: 0.2 (err), 0.5 (ok), 0.6 (err), … → AP = (1/1 + 2/3) / 2.
    expect(auprError(errors, confidence)).toBeCloseTo((1 + 2 / 3) / 2, 12);
    expect(auprError(errors, confidence)).toBeCloseTo(
      averagePrecision(
        errors,
        confidence.map((c) => 1 - c),
      ),
      12,
    );
  });
});
