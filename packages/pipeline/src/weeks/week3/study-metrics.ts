import type { PairSpec, SeedValue } from '@rdl/eval';
import type { FailureResults } from './failure.js';
import type { OodResults } from './ood.js';

// What the week-3 study reads from each seed's `failure` and `ood` results: every method row
// (MC dropout's own-errors row and the OOD-free ODIN included), one number per metric. The
// intervals are a seed's test-set spread; the study's spread is across seeds, so they are not read.

/** Failure-prediction metrics (errors positive) by result field; AURC counts when the results have it. */
const FAILURE_METRICS = {
  auprError: 'AUPR-Error',
  auroc: 'AUROC (errors)',
  fpr95: 'FPR@95%TPR (errors)',
  fpr95Success: 'FPR@95%TPR (successes)',
  aurc: 'AURC',
} as const;
/** OOD-detection metrics (OOD positive) by result field. */
const OOD_METRICS = {
  auroc: 'OOD AUROC',
  auprIn: 'OOD AUPR-In',
  auprOut: 'OOD AUPR-Out',
  fpr95: 'OOD FPR@95%TPR (OOD)',
  fpr95In: 'OOD FPR@95%TPR (in-distribution)',
} as const;
/** Metrics where lower is better (the others: higher). */
const LOWER_IS_BETTER = new Set<string>([
  FAILURE_METRICS.fpr95,
  FAILURE_METRICS.fpr95Success,
  FAILURE_METRICS.aurc,
  OOD_METRICS.fpr95,
  OOD_METRICS.fpr95In,
]);

/** The metrics the study report's figure shows. */
export const WEEK3_FIGURE_METRICS = [FAILURE_METRICS.auprError, FAILURE_METRICS.aurc, OOD_METRICS.auroc, 'test accuracy'];

/** One seed's numbers: accuracy, every failure method's and every OOD method's metrics. */
export function week3SeedValues(inputs: { failure: { results: FailureResults }; ood: { results: OodResults } }): Omit<SeedValue, 'seed'>[] {
  const out: Omit<SeedValue, 'seed'>[] = [];
  const f = inputs.failure.results;
  out.push({ method: 'deterministic', metric: 'test accuracy', value: f.accuracy.deterministic });
  out.push({ method: 'MC dropout', metric: 'test accuracy', value: f.accuracy.mcDropout });
  for (const m of f.methods) {
    const metrics = m.metrics as Record<string, unknown>;
    for (const [field, metric] of Object.entries(FAILURE_METRICS)) {
      const value = metrics[field];
      if (typeof value === 'number') out.push({ method: m.method, metric, value });
    }
  }
  for (const m of inputs.ood.results.methods) {
    const metrics = m.metrics as Record<string, unknown>;
    for (const [field, metric] of Object.entries(OOD_METRICS)) {
      const value = metrics[field];
      if (typeof value === 'number') out.push({ method: m.method, metric, value });
    }
  }
  return out;
}

const pair = (a: string, b: string, metric: string): PairSpec => ({
  a: { method: a, metric },
  b: { method: b, metric },
  better: LOWER_IS_BETTER.has(metric) ? 'lower' : 'higher',
});

/** The course's claims as paired differences: ConfidNet − MCP and − MC dropout (failure), ODIN − MCP (OOD; both tunings). */
export function week3Pairs(): PairSpec[] {
  return [
    pair('ConfidNet', 'MCP', FAILURE_METRICS.auprError),
    pair('ConfidNet', 'MC dropout', FAILURE_METRICS.auprError),
    pair('ConfidNet', 'MCP', FAILURE_METRICS.auroc),
    pair('ConfidNet', 'MCP', FAILURE_METRICS.aurc),
    pair('ODIN', 'MCP', OOD_METRICS.auroc),
    pair('ODIN', 'MCP', OOD_METRICS.auprIn),
    pair('ODIN', 'MCP', OOD_METRICS.auprOut),
    pair('ODIN (OOD-free)', 'MCP', OOD_METRICS.auroc),
  ];
}

/** Week-3 metrics are fractions: shown as percentages with two decimals. */
export const week3Format = (_metric: string, value: number): number => Number((100 * value).toFixed(2));
