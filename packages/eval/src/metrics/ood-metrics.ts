import { oodLabels, orientScore, type Score } from '../conventions.js';
import { averagePrecision, averagePrecisionFromCounts } from './average-precision.js';
import { bootstrapIntervals, type BootstrapOptions, type Interval } from './bootstrap.js';
import { fprAtTpr, fprAtTprFromCounts } from './fpr-at-tpr.js';
import { rocAuc, rocAucFromCounts } from './roc-auc.js';
import { swapClasses } from './threshold-counts.js';
import { weightedCountsSweep } from './weighted-counts.js';

/**
 * OOD-detection metrics (SPEC week 3 III). Positive class for `auroc` and `fpr95`: OUT-OF-DISTRIBUTION
 * inputs, ranked by the score oriented so that higher = more likely OOD.
 * Conventions of each key: `METRIC_CONVENTIONS` (conventions.ts).
 */
export interface OodMetrics {
  /** Positive class of the headline `auroc` and `fpr95`. */
  positive: 'ood';
  /** Average precision with in-distribution inputs as positive, higher score = more confident. */
  auprIn: number;
  /** Average precision with OOD inputs as positive, higher score = more uncertain. */
  auprOut: number;
  /** ROC AUC with OOD as positive (the same number as with in-distribution positive). */
  auroc: number;
  /** FPR (fraction of in-distribution inputs flagged) at the first threshold catching ≥ 95% of the OOD inputs (rdl convention). */
  fpr95: number;
  /** FPR (fraction of OOD inputs accepted) at the first threshold accepting ≥ 95% of the in-distribution inputs (ODIN's convention). */
  fpr95In: number;
  nIn: number;
  nOut: number;
}

export type OodMetricKey = 'auprIn' | 'auprOut' | 'auroc' | 'fpr95' | 'fpr95In';

function oodSide(isOod: ArrayLike<number>, oodScores: ArrayLike<number>) {
  return { auprOut: averagePrecision(isOod, oodScores), auroc: rocAuc(isOod, oodScores), fpr95: fprAtTpr(isOod, oodScores, 0.95) };
}

function inSide(isOod: ArrayLike<number>, inScores: ArrayLike<number>) {
  const isIn = Uint8Array.from(isOod, (o) => 1 - o);
  return { auprIn: averagePrecision(isIn, inScores), fpr95In: fprAtTpr(isIn, inScores, 0.95) };
}

function prepare(inScore: Score, outScore: Score, fn: string) {
  if (inScore.direction !== outScore.direction) {
    throw new Error(
      `${fn}: inScore '${inScore.name}' is '${inScore.direction}' but outScore '${outScore.name}' is '${outScore.direction}'`,
    );
  }
  const nIn = inScore.values.length;
  const nOut = outScore.values.length;
  const values = new Float64Array(nIn + nOut);
  values.set(Float64Array.from(inScore.values), 0);
  values.set(Float64Array.from(outScore.values), nIn);
  const combined: Score = { name: inScore.name, values, direction: inScore.direction };
  return {
    nIn,
    nOut,
    isOod: oodLabels(nIn, nOut),
    oodScores: orientScore(combined, 'ood'),
    inScores: orientScore(combined, 'in-distribution'),
  };
}

/**
 * AUPR-In, AUPR-Out, AUROC and FPR@95%TPR (both conventions) of a score at separating OOD from
 * in-distribution inputs. Both scores must come from the same method; their directions must agree (checked).
 */
export function oodMetrics(inScore: Score, outScore: Score): OodMetrics {
  const { nIn, nOut, isOod, oodScores, inScores } = prepare(inScore, outScore, 'oodMetrics');
  const { auprOut, auroc, fpr95 } = oodSide(isOod, oodScores);
  const { auprIn, fpr95In } = inSide(isOod, inScores);
  return { positive: 'ood', auprIn, auprOut, auroc, fpr95, fpr95In, nIn, nOut };
}

/**
 * Percentile bootstrap intervals of every `oodMetrics` number, resampling the in-distribution and
 * the OOD test images each within their own sample (stratified: the two were drawn apart, with
 * fixed sizes). Same options ⇒ same resamples, so methods scored on one test set are paired.
 */
export function oodMetricIntervals(inScore: Score, outScore: Score, options: BootstrapOptions): Record<OodMetricKey, Interval> {
  const { nIn, nOut, isOod, oodScores } = prepare(inScore, outScore, 'oodMetricIntervals');
  // Sorted once by the OOD score; a resample is a count per image, swept in O(n). The
  // in-distribution score is the OOD score negated, so its thresholds are the same groups read upwards.
  const sweep = weightedCountsSweep(isOod, oodScores, 'oodMetricIntervals');
  return bootstrapIntervals(
    [nIn, nOut],
    (_, counts) => {
      const { descending: byOod, ascending } = sweep(counts);
      const byIn = swapClasses(ascending);
      return {
        auprOut: averagePrecisionFromCounts(byOod),
        auroc: rocAucFromCounts(byOod),
        fpr95: fprAtTprFromCounts(byOod, 0.95),
        auprIn: averagePrecisionFromCounts(byIn),
        fpr95In: fprAtTprFromCounts(byIn, 0.95),
      };
    },
    options,
  );
}
