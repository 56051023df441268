import { thresholdCounts } from '../metrics/threshold-counts.js';

/**
 * Risk–coverage curve of selective classification (El-Yaniv & Wiener, JMLR 2010; Geifman &
 * El-Yaniv, NeurIPS 2017): accept the most confident images first; at each coverage (share of
 * images accepted) the risk is the error rate among the accepted ones.
 */
export interface RiskCoverageCurve {
  /** Share of images accepted, increasing, ending at 1. */
  coverage: number[];
  /** Error rate among the accepted images at that coverage; the last entry is the overall error rate. */
  risk: number[];
  /** Confidence threshold of each point (accept confidence ≥ threshold), decreasing. */
  thresholds: number[];
}

/**
 * One point per distinct confidence, scanning from the most confident down; equal confidences are
 * accepted together (a tie cannot be split by any threshold).
 *
 * @param isError 1 = the classifier's prediction is wrong, 0 = right (both must occur).
 * @param confidence higher = more confident (orient with `orientScore(score, 'success')` first).
 */
export function riskCoverageCurve(isError: ArrayLike<number>, confidence: ArrayLike<number>): RiskCoverageCurve {
  // Errors are the "positives" whose share among the accepted images is the risk.
  const { thresholds, tps, fps } = thresholdCounts(isError, confidence, 'riskCoverageCurve');
  const n = isError.length;
  const coverage: number[] = [];
  const risk: number[] = [];
  for (let k = 0; k < tps.length; k++) {
    const accepted = tps[k] + fps[k];
    coverage.push(accepted / n);
    risk.push(tps[k] / accepted);
  }
  return { coverage, risk, thresholds: Array.from(thresholds) };
}
