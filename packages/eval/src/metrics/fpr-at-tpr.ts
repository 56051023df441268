import { z } from 'zod';
import { thresholdCounts, type CumulativeCounts } from './threshold-counts.js';

const tprSchema = z.number().gt(0).lte(1);

function checkTpr(fn: string, tpr: number): void {
  if (!tprSchema.safeParse(tpr).success) throw new Error(`${fn}: tpr must be a number in (0, 1], got ${tpr}`);
}

/**
 * False-positive rate at the first threshold — scanning from the highest score down, equal scores
 * grouped — where the recall (TPR) of the positive class reaches ≥ `tpr`. FPR@95%TPR with the default.
 *
 * @param labels 1 = positive, 0 = negative (both must occur).
 * @param scores higher = more likely positive (orient with `orientScore` first).
 * @param tpr target recall in (0, 1], default 0.95.
 */
export function fprAtTpr(labels: ArrayLike<number>, scores: ArrayLike<number>, tpr = 0.95): number {
  checkTpr('fprAtTpr', tpr);
  return fprAtTprFromCounts(thresholdCounts(labels, scores, 'fprAtTpr'), tpr);
}

/** `fprAtTpr` from cumulative counts at thresholds taken from the highest score down. */
export function fprAtTprFromCounts({ tps, fps, positives, negatives }: CumulativeCounts, tpr = 0.95): number {
  checkTpr('fprAtTprFromCounts', tpr);
  for (let k = 0; k < tps.length; k++) {
    if (tps[k]! / positives >= tpr) return fps[k]! / negatives;
  }
  // Unreachable: the last threshold has recall 1.
  return 1;
}
