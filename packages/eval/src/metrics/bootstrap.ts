import { createRng, parseOptions } from '@rdl/core';
import { z } from 'zod';

/** A percentile bootstrap interval of one metric. */
export interface Interval {
  /** Lower and upper percentile of the resampled metric, e.g. the 2.5th and 97.5th for level 0.95. */
  low: number;
  high: number;
  level: number;
  /** Resamples drawn, and those where the metric was undefined (e.g. no error drawn), left out. */
  resamples: number;
  skipped: number;
}

export const bootstrapOptionsSchema = z.strictObject({
  /** Resamples drawn; 1,000 keeps the 2.5th percentile stable to a few tenths of a point. */
  resamples: z.number().int().min(2).default(1000),
  /** Seed of the resampling; pass `deriveSeed(seed, '<week>/<stage>/bootstrap')`. */
  seed: z.number().int(),
  level: z.number().gt(0).lt(1).default(0.95),
});
export type BootstrapOptions = z.input<typeof bootstrapOptionsSchema>;

/** Type-7 quantile (linear between order statistics), as numpy's default `percentile`. */
function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Percentile bootstrap (Efron & Tibshirani 1993, ch. 13) of several metrics of one test set at
 * once. Each resample draws, within each stratum, as many items as it holds, with replacement
 * (strata keep their sizes: e.g. [nIn, nOut] for OOD detection, whose two samples were drawn
 * apart; one stratum [n] for failure prediction, where the number of errors varies as it would
 * with another test set). Item indices run over the strata laid end to end.
 *
 * `statistic` gets the drawn indices (sorted) and how often each item was drawn (`counts[i]`, the
 * same multiset), and returns each metric; NaN marks a metric
 * undefined on that resample, which is then left out and counted in `skipped`. The same seed and
 * strata draw the same resamples, so metrics of several methods on one test set are paired.
 */
export function bootstrapIntervals<K extends string>(
  strata: readonly number[],
  statistic: (indices: Int32Array, counts: Int32Array) => Record<K, number>,
  options: BootstrapOptions,
): Record<K, Interval> {
  const { resamples, seed, level } = parseOptions(bootstrapOptionsSchema, options, 'bootstrap');
  strata.forEach((size, k) => {
    if (!Number.isInteger(size) || size < 1) throw new Error(`bootstrap: strata[${k}] must be a positive integer, got ${size}`);
  });
  const total = strata.reduce((a, b) => a + b, 0);
  const rng = createRng(seed);
  const counts = new Int32Array(total);
  const indices = new Int32Array(total);
  const draws = new Map<K, Float64Array>();
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    let offset = 0;
    for (const size of strata) {
      for (let j = 0; j < size; j++) counts[offset + rng.int(size)]!++;
      offset += size;
    }
    // Indices in increasing order (a counting sort), so a resample is a multiset, not a sequence.
    let w = 0;
    for (let i = 0; i < total; i++) for (let c = counts[i]!; c > 0; c--) indices[w++] = i;
    const values = statistic(indices, counts);
    for (const key of Object.keys(values) as K[]) {
      let column = draws.get(key);
      if (column === undefined) draws.set(key, (column = new Float64Array(resamples)));
      column[r] = values[key];
    }
  }
  const out = {} as Record<K, Interval>;
  for (const [key, column] of draws) {
    const valid = column.filter((v) => !Number.isNaN(v)).sort();
    if (valid.length === 0) throw new Error(`bootstrap: metric '${key}' is undefined on every one of ${resamples} resamples`);
    const tail = (1 - level) / 2;
    out[key] = { low: quantile(valid, tail), high: quantile(valid, 1 - tail), level, resamples, skipped: resamples - valid.length };
  }
  return out;
}

/** Item indices sorted by `scores`, highest first (ties in index order). */
export function descendingOrder(scores: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => (scores[b]! > scores[a]! ? 1 : scores[b]! < scores[a]! ? -1 : a - b));
}

/**
 * A resample laid out in `order` (each item repeated as often as it was drawn), or in reverse
 * order, for statistics that need the resampled values themselves; the metric values do not depend
 * on the order of the items. Threshold metrics skip this copy: see `weightedCountsSweep`.
 */
export function resampleInOrder(
  order: Int32Array,
  counts: Int32Array,
  columns: readonly ArrayLike<number>[],
  reverse = false,
): Float64Array[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const out = columns.map(() => new Float64Array(total));
  let w = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[reverse ? order.length - 1 - k : k]!;
    for (let c = counts[i]!; c > 0; c--, w++) for (let j = 0; j < columns.length; j++) out[j]![w] = columns[j]![i]!;
  }
  return out;
}
