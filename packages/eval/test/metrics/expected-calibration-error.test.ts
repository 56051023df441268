import { describe, expect, it } from 'vitest';
import { expectedCalibrationError } from '../../src/metrics/expected-calibration-error.js';

describe('expectedCalibrationError', () => {
  // Top-label confidences .95 (right), .85 (wrong), .75 (right), .65 (right), .55 (wrong); 5 bins of 0.2.
  // (.8,1]: conf .9, acc .5 → .4 · 2/5; (.6,.8]: conf .7, acc 1 → .3 · 2/5; (.4,.6]: conf .55, acc 0 → .55 · 1/5.
  // ECE = .16 + .12 + .11 = .39.
  const probs = new Float32Array([0.95, 0.05, 0.85, 0.15, 0.25, 0.75, 0.35, 0.65, 0.55, 0.45]);
  const labels = [0, 1, 1, 1, 1];

  it('hand case', () => {
    expect(expectedCalibrationError(probs, labels, 5)).toBeCloseTo(0.39, 6);
  });

  it('one bin: |accuracy − mean confidence| = |3/5 − 0.75|', () => {
    expect(expectedCalibrationError(probs, labels, 1)).toBeCloseTo(0.15, 6);
  });

  it('perfectly calibrated and confident: 0', () => {
    expect(expectedCalibrationError([1, 0, 0, 1], [0, 1])).toBe(0);
  });

  it('rejects malformed probabilities', () => {
    expect(() => expectedCalibrationError([0.5, 0.5, 1], [0, 1])).toThrow(/probs has 3 entries, not a multiple of labels.length = 2/);
    expect(() => expectedCalibrationError([2, -1], [0])).toThrow(/probs\[0, 0\] = 2/);
    expect(() => expectedCalibrationError([0.6, 0.6], [0])).toThrow(/row 0 sums to 1.2/);
    expect(() => expectedCalibrationError([0.5, 0.5], [2])).toThrow(/labels\[0\] = 2 is not a class index in \[0, 2\)/);
    expect(() => expectedCalibrationError([0.5, 0.5], [0], 0)).toThrow(/bins must be a positive integer/);
  });
});
