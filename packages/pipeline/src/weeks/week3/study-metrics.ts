import type { PairSpec, SeedValue } from '@rdl/eval';
import type { FailureResults } from './failure.js';
import type { OodResults } from './ood.js';
import type { StudySummary } from '../shared/study-aggregate.js';
import type { ConfidNetHistory } from './train-confidnet.js';

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
/** ConfidNet's selection on the validation selection half (never test): the evidence behind its test row. */
const VALIDATION_METRICS = {
  auprError: 'validation AUPR-Error',
  epochs: 'ConfidNet epochs trained',
  bestEpoch: 'ConfidNet epoch kept',
} as const;
/** Counts, not fractions: printed as they are. */
const COUNT_METRICS = new Set<string>([VALIDATION_METRICS.epochs, VALIDATION_METRICS.bestEpoch]);

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

/**
 * One seed's numbers: accuracy, every failure method's and every OOD method's metrics, and
 * ConfidNet's validation evidence (its kept epoch's AUPR-Error beside MCP's on the same images).
 */
export function week3SeedValues(inputs: {
  failure: { results: FailureResults };
  ood: { results: OodResults };
  trainConfidNet: { history: ConfidNetHistory };
}): Omit<SeedValue, 'seed'>[] {
  const out: Omit<SeedValue, 'seed'>[] = [];
  const h = inputs.trainConfidNet.history;
  // The kept model's validation value: phase 2's kept epoch when it ran (its epoch 0 is phase 1's), else phase 1's.
  const kept = h.fineTune === null ? h.history[h.bestEpoch - 1]! : h.fineTune.history[h.fineTune.bestEpoch]!;
  out.push({ method: 'ConfidNet', metric: VALIDATION_METRICS.auprError, value: kept.valAuprError });
  out.push({ method: 'MCP', metric: VALIDATION_METRICS.auprError, value: h.validationMcpAuprError });
  out.push({ method: 'ConfidNet', metric: VALIDATION_METRICS.epochs, value: h.epochs });
  out.push({ method: 'ConfidNet', metric: VALIDATION_METRICS.bestEpoch, value: h.bestEpoch });
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
    pair('ConfidNet', 'MCP', VALIDATION_METRICS.auprError),
    pair('ConfidNet', 'MC dropout', FAILURE_METRICS.auprError),
    pair('ConfidNet', 'MCP', FAILURE_METRICS.auroc),
    pair('ConfidNet', 'MCP', FAILURE_METRICS.aurc),
    pair('ODIN', 'MCP', OOD_METRICS.auroc),
    pair('ODIN', 'MCP', OOD_METRICS.auprIn),
    pair('ODIN', 'MCP', OOD_METRICS.auprOut),
    pair('ODIN (OOD-free)', 'MCP', OOD_METRICS.auroc),
  ];
}

/** AURC is a mean risk of a few per mille: in per cent its seed-to-seed differences round to 0. */
const PER_MILLE_METRICS = new Set<string>([FAILURE_METRICS.aurc]);

/** Week-3 metrics are fractions, shown as percentages (AURC: per mille) with two decimals; epoch counts as they are. */
export const week3Format = (metric: string, value: number): number =>
  COUNT_METRICS.has(metric)
    ? Number(value.toFixed(2))
    : PER_MILLE_METRICS.has(metric)
      ? Number((1000 * value).toFixed(2))
      : Number((100 * value).toFixed(2));
/** The unit after a metric's name in the study tables. */
export const week3Unit = (metric: string): string => (COUNT_METRICS.has(metric) ? '' : PER_MILLE_METRICS.has(metric) ? ' ‰' : ' %');

/** The study's verdict on the authors' claim (ConfidNet above MCP on AUPR-Error), from its own numbers, with the validation evidence. */
export function week3Notes(summary: StudySummary): string[] {
  const find = (metric: string) =>
    summary.differences.find((d) => d.a.method === 'ConfidNet' && d.b.method === 'MCP' && d.a.metric === metric);
  const test = find(FAILURE_METRICS.auprError);
  const validation = find(VALIDATION_METRICS.auprError);
  if (!test) return [];
  const points = (v: number): string => (100 * v).toFixed(2);
  const spread = (d: NonNullable<typeof test>): string =>
    `${points(d.mean)}${d.sd === null ? '' : ` ± ${points(d.sd)}`} points, ConfidNet above in ${d.seedsSupporting} of ${d.n} seeds`;
  const verdict =
    test.mean > 0 && test.seedsSupporting === test.n
      ? 'reached'
      : test.mean > 0
        ? 'not clearly reached (mixed across seeds)'
        : 'not reached';
  const notes = [
    `The authors' claim, ConfidNet above MCP on AUPR-Error: ${verdict} here. Test: ${spread(test)}.` +
      (validation ? ` Validation selection half, where ConfidNet's epoch is chosen: ${spread(validation)}.` : ''),
  ];
  if (verdict !== 'reached') {
    notes.push(
      "Evidence and what was tried: the ConfidNet section above shows the validation curve with MCP's level on the same images; " +
        'docs/confidnet-protocol.md ablates, on validation only, dropout while training, what the branch learns from, the selection criterion and the epoch budget. ' +
        'The protocol was frozen before this study ran, and nothing was changed after reading its test table.',
    );
  }
  return notes;
}
