import type { Score } from '../../src/conventions.js';
import { bootstrapIntervals, type BootstrapOptions } from '../../src/metrics/bootstrap.js';
import { failureMetrics } from '../../src/metrics/failure-metrics.js';
import { oodMetrics } from '../../src/metrics/ood-metrics.js';

/**
 * The bootstrap intervals computed from scratch: every resample (the same seeded draws, via
 * `bootstrapIntervals`) is laid out as arrays and handed to `failureMetrics` / `oodMetrics`, which
 * sort it again. Slow, obviously right; the reference the fast sweeps must equal.
 */
export function referenceFailureIntervals(score: Score, predicted: number[], truth: number[], options: BootstrapOptions) {
  return bootstrapIntervals(
    [truth.length],
    (idx) => {
      const p = Array.from(idx, (i) => predicted[i]!);
      const t = Array.from(idx, (i) => truth[i]!);
      const errors = p.filter((v, k) => v !== t[k]).length;
      if (errors === 0 || errors === p.length) {
        return { auprError: NaN, auprSuccess: NaN, auroc: NaN, fpr95: NaN, fpr95Success: NaN, aurc: NaN };
      }
      const m = failureMetrics({ ...score, values: Array.from(idx, (i) => score.values[i]!) }, p, t);
      return {
        auprError: m.auprError,
        auprSuccess: m.auprSuccess,
        auroc: m.auroc,
        fpr95: m.fpr95,
        fpr95Success: m.fpr95Success,
        aurc: m.aurc,
      };
    },
    options,
  );
}

export function referenceOodIntervals(inScore: Score, outScore: Score, options: BootstrapOptions) {
  const nIn = inScore.values.length;
  return bootstrapIntervals(
    [nIn, outScore.values.length],
    (idx) => {
      const ins = Array.from(idx).filter((i) => i < nIn);
      const outs = Array.from(idx).filter((i) => i >= nIn);
      const m = oodMetrics(
        { ...inScore, values: ins.map((i) => inScore.values[i]!) },
        { ...outScore, values: outs.map((i) => outScore.values[i - nIn]!) },
      );
      return { auprIn: m.auprIn, auprOut: m.auprOut, auroc: m.auroc, fpr95: m.fpr95, fpr95In: m.fpr95In };
    },
    options,
  );
}
