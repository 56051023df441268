import { thresholdCounts, type CumulativeCounts } from './threshold-counts.js';

/**
 * Area under the risk–coverage curve (AURC; Geifman, Uziel & El-Yaniv, "Bias-reduced uncertainty
 * estimation for deep neural classifiers", ICLR 2019), lower is better:
 *
 *   AURC = (1/n) Σₖ₌₁ⁿ risk(k),  risk(k) = errors among the k most confident images / k,
 *
 * i.e. the mean risk over the n coverages k/n, as in the authors' code (no trapezoids). Images of
 * equal confidence are accepted together, so each member of a tie group counts the risk at the
 * group's end. Its floor is the AURC of a perfect ranking (errors last), not 0.
 *
 * @param isError 1 = wrong prediction, 0 = right (both must occur).
 * @param confidence higher = more confident (orient with `orientScore(score, 'success')` first).
 */
export function aurc(isError: ArrayLike<number>, confidence: ArrayLike<number>): number {
  return aurcFromCounts(thresholdCounts(isError, confidence, 'aurc'));
}

/**
 * `aurc` from cumulative counts with errors as positives, at thresholds taken from the most
 * confident down. Same arithmetic as summing `riskCoverageCurve`'s points.
 */
export function aurcFromCounts({ tps, fps, positives, negatives }: CumulativeCounts): number {
  const n = positives + negatives;
  let sum = 0;
  let previous = 0;
  for (let k = 0; k < tps.length; k++) {
    const accepted = tps[k]! + fps[k]!;
    const coverage = accepted / n;
    // coverage − previous is (group size)/n; tps/accepted is the risk at the group's end.
    sum += (coverage - previous) * (tps[k]! / accepted);
    previous = coverage;
  }
  return sum;
}
