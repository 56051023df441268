import { describe, expect, it } from 'vitest';
import { averagePrecision } from '../../src/metrics/average-precision.js';
import { fprAtTpr } from '../../src/metrics/fpr-at-tpr.js';
import { rocAuc } from '../../src/metrics/roc-auc.js';

// checkBinary, as every ranking metric reports it.
describe('ranking metrics reject bad input with a clear message', () => {
  const fns = { averagePrecision, rocAuc, fprAtTpr } as const;
  for (const [name, fn] of Object.entries(fns)) {
    it(name, () => {
      expect(() => fn([1, 1, 1], [0.1, 0.2, 0.3])).toThrow(new RegExp(`${name}: labels hold no negatives`));
      expect(() => fn([0, 0], [0.1, 0.2])).toThrow(/no positives/);
      expect(() => fn([0, 1], [0.1])).toThrow(/labels has 2 entries but scores has 1/);
      expect(() => fn([0, 1], [0.1, Number.NaN])).toThrow(/scores\[1\] is NaN/);
      expect(() => fn([0, 2], [0.1, 0.2])).toThrow(/labels must be 0 or 1.*labels\[1\] = 2/);
      expect(() => fn([], [])).toThrow(/empty/);
    });
  }
});
