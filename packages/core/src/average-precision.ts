import { thresholdCounts } from './threshold-counts.js';

/**
 * Average precision, step-wise, exactly as sklearn's `average_precision_score`:
 * AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over distinct thresholds from the highest score down (equal scores form
 * one threshold). No interpolation, not the trapezoidal area. This is what "AUPR" means in rdl.
 *
 * @param labels 1 = positive, 0 = negative (both must occur).
 * @param scores higher = more likely positive (orient with `orientScore` first).
 */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { tps, fps, positives } = thresholdCounts(labels, scores, 'averagePrecision');
  let ap = 0;
  let prevTp = 0;
  for (let k = 0; k < tps.length; k++) {
    const precision = tps[k] / (tps[k] + fps[k]);
    ap += ((tps[k] - prevTp) / positives) * precision;
    prevTp = tps[k];
  }
  return ap;
}
