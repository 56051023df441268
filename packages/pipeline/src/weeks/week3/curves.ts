import { downsampleCurve, orientScore, precisionRecallCurve, riskCoverageCurve, rocCurve, type PositiveClass, type Score } from '@rdl/eval';
import { z } from 'zod';

export const curveSchema = z.object({ x: z.array(z.number()), y: z.array(z.number()) });
export type Curve = z.infer<typeof curveSchema>;

/** Precision (y) against recall (x) with `positive` as the positive class, thinned for the json. */
export function prCurve(score: Score, labels: Uint8Array, positive: PositiveClass, maxPoints: number): Curve {
  const curve = precisionRecallCurve(labels, orientScore(score, positive));
  const steps = recallSteps(curve.recall, curve.precision);
  const d = downsampleCurve(steps.x, steps.y, maxPoints);
  return { x: d.x, y: d.y };
}

/**
 * While recall stays put, adding negatives only lowers precision: each run of equal recall is a
 * vertical segment, exactly drawn by its two ends. Keeping only those makes the curve a few
 * hundred points when positives are few (100 errors of 10,000) instead of one per threshold,
 * so thinning never cuts a staircase into diagonals.
 */
export function recallSteps(recall: ArrayLike<number>, precision: ArrayLike<number>): Curve {
  const x: number[] = [];
  const y: number[] = [];
  const n = recall.length;
  for (let i = 0; i < n; i++) {
    const runStart = i === 0 || recall[i] !== recall[i - 1];
    const runEnd = i === n - 1 || recall[i] !== recall[i + 1];
    if (runStart || runEnd) {
      x.push(recall[i]!);
      y.push(precision[i]!);
    }
  }
  return { x, y };
}

/** TPR (y) against FPR (x) with `positive` as the positive class, thinned. */
export function roc(score: Score, labels: Uint8Array, positive: PositiveClass, maxPoints: number): Curve {
  const curve = rocCurve(labels, orientScore(score, positive));
  const d = downsampleCurve(curve.fpr, curve.tpr, maxPoints);
  return { x: d.x, y: d.y };
}

/** Risk (y, error rate of the accepted) against coverage (x), most confident accepted first, thinned. */
export function riskCoverage(score: Score, isError: Uint8Array, maxPoints: number): Curve {
  const curve = riskCoverageCurve(isError, orientScore(score, 'success'));
  const d = downsampleCurve(curve.coverage, curve.risk, maxPoints);
  return { x: d.x, y: d.y };
}

/** count, mean, median, 90th percentile and share of exact zeros of a set of values. */
export function summarize(values: ArrayLike<number>) {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  // An empty group (no errors in a tiny run) reports zeros with count 0: JSON has no NaN.
  if (n === 0) return { count: 0, mean: 0, median: 0, p90: 0, max: 0, zeroShare: 0 };
  const q = (p: number) => sorted[Math.min(n - 1, Math.floor(p * (n - 1)))]!;
  let sum = 0;
  let zeros = 0;
  for (const v of sorted) {
    sum += v;
    if (v === 0) zeros++;
  }
  return { count: n, mean: sum / n, median: q(0.5), p90: q(0.9), max: sorted[n - 1]!, zeroShare: zeros / n };
}
export const summarySchema = z.object({
  count: z.number(),
  mean: z.number(),
  median: z.number(),
  p90: z.number(),
  max: z.number(),
  zeroShare: z.number(),
});
