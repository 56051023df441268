import { descendingOrder } from './bootstrap.js';
import type { CumulativeCounts } from './threshold-counts.js';

/** Cumulative counts of one weighted sample, scanned both ways (see `weightedCountsSweep`). */
export interface SweptCounts {
  /** Thresholds from the highest score down: what the metrics of `scores` take. */
  descending: CumulativeCounts;
  /** Thresholds from the lowest score up: what the metrics of the negated score take. */
  ascending: CumulativeCounts;
}

/**
 * Threshold counts of many weighted samples of one scored set, for the bootstrap: the items are
 * sorted ONCE by score and cut into tie groups; a sample is a weight per item (how often a
 * resample drew it), and its counts come from one O(n) pass over the groups instead of a sort.
 *
 * The returned function gives, for `weights`, the same `tps`/`fps` as `thresholdCounts` on the
 * sample laid out item by item (labels 1 = positive), both from the highest score down and from the
 * lowest up; groups the sample does not reach are left out, as `thresholdCounts` never sees them.
 * Equal scores (`===`, so −0 = +0) stay one group either way, so ties enter together.
 * The arrays are reused: each call overwrites the previous call's counts.
 *
 * @param labels 1 = positive, 0 = negative, per item.
 * @param scores per item, higher = more likely positive; NaN is refused.
 */
export function weightedCountsSweep(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  fn = 'weightedCountsSweep',
): (weights: ArrayLike<number>) => SweptCounts {
  const n = labels.length;
  if (scores.length !== n) throw new Error(`${fn}: labels has ${n} entries but scores has ${scores.length}`);
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`${fn}: labels must be 0 or 1 (1 = positive), labels[${i}] = ${labels[i]}`);
    if (Number.isNaN(scores[i])) throw new Error(`${fn}: scores[${i}] is NaN`);
  }
  const order = descendingOrder(scores);
  // Per sorted position: the item and its label; per group: its end (exclusive) in `order`.
  const sortedLabels = new Uint8Array(n);
  const endsList: number[] = [];
  for (let k = 0; k < n; k++) {
    sortedLabels[k] = labels[order[k]!]!;
    if (k === n - 1 || scores[order[k + 1]!] !== scores[order[k]!]) endsList.push(k + 1);
  }
  const ends = Int32Array.from(endsList);
  const groups = ends.length;
  const groupPos = new Float64Array(groups);
  const groupNeg = new Float64Array(groups);
  const down = { tps: new Float64Array(groups), fps: new Float64Array(groups) };
  const up = { tps: new Float64Array(groups), fps: new Float64Array(groups) };

  return (weights) => {
    if (weights.length !== n) throw new Error(`${fn}: weights has ${weights.length} entries, expected ${n}`);
    let start = 0;
    let positives = 0;
    let negatives = 0;
    for (let g = 0; g < groups; g++) {
      let pos = 0;
      let neg = 0;
      for (let k = start, end = ends[g]!; k < end; k++) {
        const w = weights[order[k]!]!;
        if (sortedLabels[k] === 1) pos += w;
        else neg += w;
      }
      groupPos[g] = pos;
      groupNeg[g] = neg;
      positives += pos;
      negatives += neg;
      start = ends[g]!;
    }
    // Integer sums, so the cumulative counts are exact whichever way they are added up.
    let m = 0;
    let tp = 0;
    let fp = 0;
    for (let g = 0; g < groups; g++) {
      if (groupPos[g]! + groupNeg[g]! === 0) continue;
      tp += groupPos[g]!;
      fp += groupNeg[g]!;
      down.tps[m] = tp;
      down.fps[m++] = fp;
    }
    const used = m;
    m = 0;
    tp = 0;
    fp = 0;
    for (let g = groups - 1; g >= 0; g--) {
      if (groupPos[g]! + groupNeg[g]! === 0) continue;
      tp += groupPos[g]!;
      fp += groupNeg[g]!;
      up.tps[m] = tp;
      up.fps[m++] = fp;
    }
    return {
      descending: { tps: down.tps.subarray(0, used), fps: down.fps.subarray(0, used), positives, negatives },
      ascending: { tps: up.tps.subarray(0, used), fps: up.fps.subarray(0, used), positives, negatives },
    };
  };
}
