import { failureLabels, orientScore, type Score } from '../conventions.js';
import { averagePrecision } from './average-precision.js';
import { fprAtTpr } from './fpr-at-tpr.js';
import { rocAuc } from './roc-auc.js';

/**
 * Failure-prediction metrics (SPEC week 3 II). Positive class for `auroc` and `fpr95`: ERRORS
 * (misclassified samples), ranked by the score oriented so that higher = more likely error.
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
  /** FPR (fraction of successes flagged) at the first threshold catching ≥ 95% of the errors. */
  fpr95: number;
  /** Number of errors and of samples, so a reader can judge the AUPR-Error baseline (errors / n). */
  errors: number;
  n: number;
}

/**
 * AUPR-Error, AUPR-Success, AUROC and FPR@95%TPR of a score at predicting the classifier's errors.
 * @param score per-sample score with its direction (MCP, entropy, TCP, …).
 * @param predicted predicted class per sample; @param truth true class per sample.
 */
export function failureMetrics(score: Score, predicted: ArrayLike<number>, truth: ArrayLike<number>): FailureMetrics {
  const isError = failureLabels(predicted, truth);
  if (score.values.length !== isError.length) {
    throw new Error(`failureMetrics: score '${score.name}' has ${score.values.length} values but there are ${isError.length} predictions`);
  }
  const isSuccess = isError.map((e) => 1 - e);
  const errorScores = orientScore(score, 'error');
  const successScores = orientScore(score, 'success');
  const errors = isError.reduce((a, b) => a + b, 0);
  return {
    positive: 'error',
    auprError: averagePrecision(isError, errorScores),
    auprSuccess: averagePrecision(isSuccess, successScores),
    auroc: rocAuc(isError, errorScores),
    fpr95: fprAtTpr(isError, errorScores, 0.95),
    errors,
    n: isError.length,
  };
}
