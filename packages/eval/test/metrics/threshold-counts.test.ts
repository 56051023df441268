import { describe, expect, it } from 'vitest';
import { averagePrecision } from '../../src/metrics/average-precision.js';
import { fprAtTpr } from '../../src/metrics/fpr-at-tpr.js';
import { rocAuc } from '../../src/metrics/roc-auc.js';

// The three ranking metrics share thresholdCounts: one threshold per distinct score.
describe('ranking metrics on hand cases', () => {
  it('perfect ranking: AP = 1, AUROC = 1, FPR95 = 0', () => {
    const y = [0, 0, 1, 1];
    const s = [0.1, 0.2, 0.8, 0.9];
    expect(averagePrecision(y, s)).toBe(1);
    expect(rocAuc(y, s)).toBe(1);
    expect(fprAtTpr(y, s)).toBe(0);
  });

  it('inverted ranking: AUROC = 0, AP = 1/2·1/3 + 1/2·2/4 = 5/12, FPR95 = 1', () => {
    const y = [1, 1, 0, 0];
    const s = [0.1, 0.2, 0.8, 0.9];
    expect(rocAuc(y, s)).toBe(0);
    expect(averagePrecision(y, s)).toBeCloseTo(5 / 12, 12);
    expect(fprAtTpr(y, s)).toBe(1);
  });

  it('all scores tied: AUROC = 1/2, AP = prevalence, FPR95 = 1', () => {
    const y = [1, 0, 0, 0];
    const s = new Float32Array([0.5, 0.5, 0.5, 0.5]);
    expect(rocAuc(y, s)).toBe(0.5);
    expect(averagePrecision(y, s)).toBe(0.25);
    expect(fprAtTpr(y, s)).toBe(1);
  });

  it('accepts typed arrays and infinite scores', () => {
    const y = new Uint8Array([0, 1, 0, 1]);
    const s = new Float64Array([-Infinity, Infinity, 0, Infinity]);
    expect(rocAuc(y, s)).toBe(1);
    expect(averagePrecision(y, s)).toBe(1);
  });
});
