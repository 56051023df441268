import { thresholdCounts, type CumulativeCounts } from './threshold-counts.js';

/**
 * Area under the ROC curve, equal to sklearn's `roc_auc_score`: the probability that a random
 * positive scores above a random negative, ties counting 1/2 (trapezoids between grouped thresholds).
 *
 * @param labels 1 = positive, 0 = negative (both must occur).
 * @param scores higher = more likely positive (orient with `orientScore` first).
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  return rocAucFromCounts(thresholdCounts(labels, scores, 'rocAuc'));
}

/** `rocAuc` from cumulative counts at thresholds taken from the highest score down. */
export function rocAucFromCounts({ tps, fps, positives, negatives }: CumulativeCounts): number {
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let k = 0; k < tps.length; k++) {
    // Counts are integers, so the sum is exact until the final division.
    area += (fps[k]! - prevFp) * (tps[k]! + prevTp);
    prevTp = tps[k]!;
    prevFp = fps[k]!;
  }
  return area / (2 * positives * negatives);
}
