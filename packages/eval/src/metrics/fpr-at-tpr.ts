import { z } from 'zod';
import { thresholdCounts } from './threshold-counts.js';

const tprSchema = z.number().gt(0).lte(1);

/**
 * False-positive rate at the first threshold — scanning from the highest score down, equal scores
 * grouped — where the recall (TPR) of the positive class reaches ≥ `tpr`. FPR@95%TPR with the default.
 *
 * @param labels 1 = positive, 0 = negative (both must occur).
 * @param scores higher = more likely positive (orient with `orientScore` first).
 * @param tpr target recall in (0, 1], default 0.95.
 */
export function fprAtTpr(labels: ArrayLike<number>, scores: ArrayLike<number>, tpr = 0.95): number {
  if (!tprSchema.safeParse(tpr).success) throw new Error(`fprAtTpr: tpr must be a number in (0, 1], got ${tpr}`);
  const { tps, fps, positives, negatives } = thresholdCounts(labels, scores, 'fprAtTpr');
  for (let k = 0; k < tps.length; k++) {
    if (tps[k] / positives >= tpr) return fps[k] / negatives;
  }
  // Unreachable: the last threshold has recall 1.
  return 1;
}
