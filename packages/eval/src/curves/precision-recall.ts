import { thresholdCounts } from '../metrics/threshold-counts.js';

export interface PrecisionRecallCurve {
  /** Length T + 1; precision[k] at score ≥ thresholds[k]; the last entry is 1 by convention. */
  precision: number[];
  /** Length T + 1, non-increasing; the last entry is 0 by convention. */
  recall: number[];
  /** The T distinct scores, increasing. */
  thresholds: number[];
}

/**
 * Precision–recall curve with sklearn's `precision_recall_curve` semantics (≥ 1.1, no
 * drop_intermediate): one point per distinct score, ordered by increasing threshold, plus the
 * final (recall 0, precision 1) point. The step-wise area of this curve is `averagePrecision`.
 *
 * @param labels 1 = positive, 0 = negative (both must occur).
 * @param scores higher = more likely positive (orient with `orientScore` first).
 */
export function precisionRecallCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): PrecisionRecallCurve {
  const { thresholds, tps, fps, positives } = thresholdCounts(labels, scores, 'precisionRecallCurve');
  const t = thresholds.length;
  const precision = new Array<number>(t + 1);
  const recall = new Array<number>(t + 1);
  const thr = new Array<number>(t);
  for (let k = 0; k < t; k++) {
    const r = t - 1 - k; // reversed: lowest threshold (full recall) first
    precision[r] = tps[k] / (tps[k] + fps[k]);
    recall[r] = tps[k] / positives;
    thr[r] = thresholds[k];
  }
  precision[t] = 1;
  recall[t] = 0;
  return { precision, recall, thresholds: thr };
}
