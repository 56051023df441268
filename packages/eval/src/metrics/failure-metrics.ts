import { failureLabels, orientScore, type Score } from '../conventions.js';
import { aurc } from './aurc.js';
import { averagePrecision } from './average-precision.js';
import { bootstrapIntervals, descendingOrder, resampleInOrder, type BootstrapOptions, type Interval } from './bootstrap.js';
import { fprAtTpr } from './fpr-at-tpr.js';
import { rocAuc } from './roc-auc.js';

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
  const { isError, errorScores, successScores } = prepare(score, predicted, truth, 'failureMetricIntervals');
  const undefinedRow: Record<FailureMetricKey, number> = {
    auprError: NaN,
    auprSuccess: NaN,
    auroc: NaN,
    fpr95: NaN,
    fpr95Success: NaN,
    aurc: NaN,
  };
  // Sorted once by the error score (highest first); the success score is its mirror, read backwards.
  const order = descendingOrder(errorScores);
  return bootstrapIntervals(
    [isError.length],
    (_, counts) => {
      const [labels, byError] = resampleInOrder(order, counts, [isError, errorScores]);
      let errors = 0;
      for (const e of labels!) errors += e;
      if (errors === 0 || errors === labels!.length) return undefinedRow;
      const [labelsBack, bySuccess] = resampleInOrder(order, counts, [isError, successScores], true);
      return { ...errorSide(labels!, byError!), ...successSide(labelsBack!, bySuccess!) };
    },
    options,
  );
}
