import { checkBinary } from './check-binary.js';

/**
 * Cumulative counts of positives (`tps`) and negatives (`fps`) at successive thresholds, which is
 * all that AP, AUROC, FPR@TPR and AURC need: `thresholdCounts` builds them from labels and scores,
 * @rdl/eval's `weightedCountsSweep` from a weighted (bootstrap) sample of a once-sorted score.
 */
export interface CumulativeCounts {
  tps: ArrayLike<number>;
  fps: ArrayLike<number>;
  positives: number;
  negatives: number;
}

/** The same counts with the classes swapped (label 0 counted as positive). */
export function swapClasses(counts: CumulativeCounts): CumulativeCounts {
  return { tps: counts.fps, fps: counts.tps, positives: counts.negatives, negatives: counts.positives };
}

/**
 * Cumulative counts at each distinct score, scanning from the highest score down
 * (sklearn's `_binary_clf_curve`). Equal scores form ONE threshold, so ties are never split.
 * Entry k: predicting "positive" for every score ≥ thresholds[k] gives tps[k] true and fps[k]
 * false positives. Labels: 1 = positive; scores: higher = more positive.
 */
export interface ThresholdCounts extends CumulativeCounts {
  /** Distinct scores, strictly decreasing. */
  thresholds: Float64Array;
  tps: Float64Array;
  fps: Float64Array;
  positives: number;
  negatives: number;
}

export function thresholdCounts(labels: ArrayLike<number>, scores: ArrayLike<number>, fn = 'thresholdCounts'): ThresholdCounts {
  const { positives, negatives } = checkBinary(fn, labels, scores);
  const n = labels.length;
  const s = Float64Array.from(scores);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Comparison instead of subtraction so that ±Infinity scores sort correctly.
  order.sort((a, b) => (s[b] > s[a] ? 1 : s[b] < s[a] ? -1 : 0));

  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (labels[i] === 1) tp++;
    else fp++;
    // Close the group only after its last member, i.e. when the next score differs.
    if (k === n - 1 || s[order[k + 1]] !== s[i]) {
      thresholds.push(s[i]);
      tps.push(tp);
      fps.push(fp);
    }
  }
  return {
    thresholds: Float64Array.from(thresholds),
    tps: Float64Array.from(tps),
    fps: Float64Array.from(fps),
    positives,
    negatives,
  };
}
