import { failureLabels, orientScore, type Score } from '../conventions.js';
import { aurc, aurcFromCounts } from './aurc.js';
import { averagePrecision, averagePrecisionFromCounts } from './average-precision.js';
import { bootstrapIntervals, type BootstrapOptions, type Interval } from './bootstrap.js';
import { fprAtTpr, fprAtTprFromCounts } from './fpr-at-tpr.js';
import { rocAuc, rocAucFromCounts } from './roc-auc.js';
import { swapClasses } from './threshold-counts.js';
import { weightedCountsSweep } from './weighted-counts.js';

/**
 * Failure-prediction metrics (SPEC week 3 II). Positive class for `auroc` and `fpr95`: ERRORS
 * (misclassified samples), ranked by the score oriented so that higher = more likely error.
 * Conventions of each key: `METRIC_CONVENTIONS` (conventions.ts).
 */
export interface FailureMetrics {
  /** Positive class of the headline `auroc` and `fpr95`. */
  positive: 'error';
  /** Average precision with errors as positive, higher score = more uncertain. */
  auprError: number;
  /** Average precision with successes as positive, higher score = more confident. */
  auprSuccess: number;
  /** ROC AUC with errors as positive. */
  auroc: number;
  /** FPR (fraction of successes flagged) at the first threshold catching ≥ 95% of the errors (rdl convention). */
  fpr95: number;
  /** FPR (fraction of errors accepted) at the first threshold accepting ≥ 95% of the successes (authors' convention). */
  fpr95Success: number;
  /** Area under the risk–coverage curve (lower is better), see `aurc`. */
  aurc: number;
  /** Number of errors and of samples, so a reader can judge the AUPR-Error baseline (errors / n). */
  errors: number;
  n: number;
}

export type FailureMetricKey = 'auprError' | 'auprSuccess' | 'auroc' | 'fpr95' | 'fpr95Success' | 'aurc';

function errorSide(isError: ArrayLike<number>, errorScores: ArrayLike<number>) {
  return {
    auprError: averagePrecision(isError, errorScores),
    auroc: rocAuc(isError, errorScores),
    fpr95: fprAtTpr(isError, errorScores, 0.95),
  };
}

function successSide(isError: ArrayLike<number>, successScores: ArrayLike<number>) {
  const isSuccess = Uint8Array.from(isError, (e) => 1 - e);
  return {
    auprSuccess: averagePrecision(isSuccess, successScores),
    fpr95Success: fprAtTpr(isSuccess, successScores, 0.95),
    aurc: aurc(isError, successScores),
  };
}

function prepare(score: Score, predicted: ArrayLike<number>, truth: ArrayLike<number>, fn: string) {
  const isError = failureLabels(predicted, truth);
  if (score.values.length !== isError.length) {
    throw new Error(`${fn}: score '${score.name}' has ${score.values.length} values but there are ${isError.length} predictions`);
  }
  return { isError, errorScores: orientScore(score, 'error'), successScores: orientScore(score, 'success') };
}

/**
 * AUPR-Error, AUPR-Success, AUROC, FPR@95%TPR (both conventions) and AURC of a score at predicting
 * the classifier's errors.
 * @param score per-sample score with its direction (MCP, entropy, TCP, …).
 * @param predicted predicted class per sample; @param truth true class per sample.
 */
export function failureMetrics(score: Score, predicted: ArrayLike<number>, truth: ArrayLike<number>): FailureMetrics {
  const { isError, errorScores, successScores } = prepare(score, predicted, truth, 'failureMetrics');
  const errors = isError.reduce((a, b) => a + b, 0);
  const { auprError, auroc, fpr95 } = errorSide(isError, errorScores);
  const { auprSuccess, fpr95Success, aurc } = successSide(isError, successScores);
  return { positive: 'error', auprError, auprSuccess, auroc, fpr95, fpr95Success, aurc, errors, n: isError.length };
}

/**
 * Percentile bootstrap intervals of every `failureMetrics` number, resampling test images (the
 * errors among them vary with the draw). A resample without an error or without a success is
 * skipped. Same options ⇒ same resamples, so methods scored on one test set are paired.
 */
export function failureMetricIntervals(
  score: Score,
  predicted: ArrayLike<number>,
  truth: ArrayLike<number>,
  options: BootstrapOptions,
): Record<FailureMetricKey, Interval> {
  const { isError, errorScores } = prepare(score, predicted, truth, 'failureMetricIntervals');
  const undefinedRow: Record<FailureMetricKey, number> = {
    auprError: NaN,
    auprSuccess: NaN,
    auroc: NaN,
    fpr95: NaN,
    fpr95Success: NaN,
    aurc: NaN,
  };
  // Sorted once by the error score; a resample is a count per image, swept in O(n). The success
  // score is the error score negated, so its thresholds are the same groups read upwards.
  const sweep = weightedCountsSweep(isError, errorScores, 'failureMetricIntervals');
  return bootstrapIntervals(
    [isError.length],
    (_, counts) => {
      const { descending: byError, ascending } = sweep(counts);
      if (byError.positives === 0 || byError.negatives === 0) return undefinedRow;
      // Ascending = most confident first with errors positive (AURC); swapped, successes positive.
      const bySuccess = swapClasses(ascending);
      return {
        auprError: averagePrecisionFromCounts(byError),
        auroc: rocAucFromCounts(byError),
        fpr95: fprAtTprFromCounts(byError, 0.95),
        auprSuccess: averagePrecisionFromCounts(bySuccess),
        fpr95Success: fprAtTprFromCounts(bySuccess, 0.95),
        aurc: aurcFromCounts(ascending),
      };
    },
    options,
  );
}
