import { thresholdCounts, type CumulativeCounts } from './threshold-counts.js';

/**
 * Average precision, step-wise, exactly as sklearn's `average_precision_score`:
 * AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over distinct thresholds from the highest score down (equal scores form
 * one threshold). No interpolation, not the trapezoidal area. This is what "AUPR" means in rdl.
 *
 * @param labels 1 = positive, 0 = negative (both must occur).
 * @param scores higher = more likely positive (orient with `orientScore` first).
 */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  return averagePrecisionFromCounts(thresholdCounts(labels, scores, 'averagePrecision'));
}

/** `averagePrecision` from cumulative counts at thresholds taken from the highest score down. */
export function averagePrecisionFromCounts({ tps, fps, positives }: CumulativeCounts): number {
  let ap = 0;
  let prevTp = 0;
  for (let k = 0; k < tps.length; k++) {
    const precision = tps[k]! / (tps[k]! + fps[k]!);
    ap += ((tps[k]! - prevTp) / positives) * precision;
    prevTp = tps[k]!;
  }
  return ap;
}
