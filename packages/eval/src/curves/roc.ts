import { thresholdCounts } from '../metrics/threshold-counts.js';

export interface RocCurve {
  /** Non-decreasing false-positive rates, starting at 0 and ending at 1. */
  fpr: number[];
  /** Non-decreasing true-positive rates (recall), starting at 0 and ending at 1. */
  tpr: number[];
  /** Decreasing thresholds; thresholds[0] = Infinity (nothing predicted positive). */
  thresholds: number[];
}

export interface RocCurveOptions {
  /** Drop points collinear with their neighbours (sklearn's default, `drop_intermediate=True`). */
  dropIntermediate?: boolean;
}

/**
 * ROC curve with sklearn's `roc_curve` semantics (≥ 1.3): one point per distinct score from the
 * highest down, preceded by (0, 0) at threshold +Infinity. The trapezoidal area is `rocAuc`.
 *
 * @param labels 1 = positive, 0 = negative (both must occur).
 * @param scores higher = more likely positive (orient with `orientScore` first).
 */
export function rocCurve(labels: ArrayLike<number>, scores: ArrayLike<number>, options: RocCurveOptions = {}): RocCurve {
  const { dropIntermediate = true } = options;
  const counts = thresholdCounts(labels, scores, 'rocCurve');
  let tps = Array.from(counts.tps);
  let fps = Array.from(counts.fps);
  let thresholds = Array.from(counts.thresholds);
  // Same order as sklearn: thin the distinct-score points first, then prepend (0, 0) at +Infinity.
  if (dropIntermediate && tps.length > 2) {
    // Keep the ends and every point where the slope changes (second difference non-zero).
    const keep: number[] = [0];
    for (let k = 1; k < tps.length - 1; k++) {
      const d2f = fps[k + 1] - 2 * fps[k] + fps[k - 1];
      const d2t = tps[k + 1] - 2 * tps[k] + tps[k - 1];
      if (d2f !== 0 || d2t !== 0) keep.push(k);
    }
    keep.push(tps.length - 1);
    tps = keep.map((k) => tps[k]);
    fps = keep.map((k) => fps[k]);
    thresholds = keep.map((k) => thresholds[k]);
  }
  tps.unshift(0);
  fps.unshift(0);
  thresholds.unshift(Number.POSITIVE_INFINITY);
  return {
    fpr: fps.map((f) => f / counts.negatives),
    tpr: tps.map((t) => t / counts.positives),
    thresholds,
  };
}
