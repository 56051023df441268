import { describe, expect, it } from 'vitest';
import { riskCoverageCurve } from '../../src/curves/risk-coverage.js';

describe('riskCoverageCurve', () => {
  it('hand case: most confident accepted first, risk = error rate of the accepted', () => {
    // Confidence order: 0 (right), 1 (wrong), 2 (right), 3 (wrong).
    const c = riskCoverageCurve([0, 1, 0, 1], [0.9, 0.8, 0.7, 0.1]);
    expect(c.coverage).toEqual([0.25, 0.5, 0.75, 1]);
    expect(c.risk).toEqual([0, 1 / 2, 1 / 3, 1 / 2]);
    expect(c.thresholds).toEqual([0.9, 0.8, 0.7, 0.1]);
  });

  it('accepts tied confidences together', () => {
    const c = riskCoverageCurve([0, 1, 0, 1], [0.9, 0.8, 0.8, 0.1]);
    expect(c.coverage).toEqual([0.25, 0.75, 1]);
    expect(c.risk).toEqual([0, 1 / 3, 1 / 2]);
  });

  it('needs both classes', () => {
    expect(() => riskCoverageCurve([0, 0], [0.1, 0.2])).toThrow(/riskCoverageCurve: labels hold no positives/);
  });
});
