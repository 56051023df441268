import { oodLabels, orientScore, type Score } from '../conventions.js';
import { averagePrecision } from './average-precision.js';
import { fprAtTpr } from './fpr-at-tpr.js';
import { rocAuc } from './roc-auc.js';

/**
 * OOD-detection metrics (SPEC week 3 III). Positive class for `auroc` and `fpr95`: OUT-OF-DISTRIBUTION
 * inputs, ranked by the score oriented so that higher = more likely OOD.
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
  /** FPR (fraction of in-distribution inputs flagged) at the first threshold catching ≥ 95% of the OOD inputs. */
  fpr95: number;
  nIn: number;
  nOut: number;
}

/**
 * AUPR-In, AUPR-Out, AUROC and FPR@95%TPR of a score at separating OOD from in-distribution inputs.
 * Both scores must come from the same method; their directions must agree (checked).
 */
export function oodMetrics(inScore: Score, outScore: Score): OodMetrics {
  if (inScore.direction !== outScore.direction) {
    throw new Error(
      `oodMetrics: inScore '${inScore.name}' is '${inScore.direction}' but outScore '${outScore.name}' is '${outScore.direction}'`,
    );
  }
  const nIn = inScore.values.length;
  const nOut = outScore.values.length;
  const values = new Float64Array(nIn + nOut);
  values.set(Float64Array.from(inScore.values), 0);
  values.set(Float64Array.from(outScore.values), nIn);
  const combined: Score = { name: inScore.name, values, direction: inScore.direction };

  const isOod = oodLabels(nIn, nOut);
  const isIn = isOod.map((o) => 1 - o);
  const oodScores = orientScore(combined, 'ood');
  return {
    positive: 'ood',
    auprIn: averagePrecision(isIn, orientScore(combined, 'in-distribution')),
    auprOut: averagePrecision(isOod, oodScores),
    auroc: rocAuc(isOod, oodScores),
    fpr95: fprAtTpr(isOod, oodScores, 0.95),
    nIn,
    nOut,
  };
}
