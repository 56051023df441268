import type { ScoreDirection } from '@rdl/core';
import { z } from 'zod';
import { orientScore, type PositiveClass, type Score } from '../conventions.js';

/**
 * A flag chosen on reference data: "flag when the score is below (or above) `threshold`", set so
 * that at least `keep` of the reference inputs (e.g. correct, or in-distribution, validation
 * images) are not flagged. The threshold is in the score's own units.
 */
export interface KeepThreshold {
  score: string;
  direction: ScoreDirection;
  /** What a flag means: the positive class the score was oriented towards. */
  flags: PositiveClass;
  threshold: number;
  flagWhen: 'below' | 'above';
  /** The fraction asked for, and the fraction of the reference inputs actually kept. */
  keep: number;
  kept: number;
  count: number;
}

const keepSchema = z.number().gt(0).lt(1);

/**
 * The threshold keeping `keep` of `reference` unflagged, for flags of `flags` ("error" or "ood":
 * the score is oriented so higher = more likely flagged, by `orientScore`). Ties at the threshold
 * are kept, so at least `keep` of the reference is kept.
 */
export function keepThreshold(reference: Score, flags: PositiveClass, keep = 0.95): KeepThreshold {
  if (!keepSchema.safeParse(keep).success) throw new Error(`keepThreshold: keep must be a number in (0, 1), got ${keep}`);
  const oriented = orientScore(reference, flags);
  const n = oriented.length;
  if (n === 0) throw new Error(`keepThreshold: the reference score "${reference.name}" is empty`);
  if (oriented.some((v) => Number.isNaN(v))) throw new Error(`keepThreshold: the reference score "${reference.name}" has NaN values`);
  const sorted = Float64Array.from(oriented).sort();
  const cut = sorted[Math.ceil(keep * n) - 1]!;
  let kept = 0;
  for (const v of oriented) if (v <= cut) kept++;
  // Oriented = the score itself, or its negation: flag above the cut, or below its negation.
  const same = orientScore({ name: reference.name, values: [1], direction: reference.direction }, flags)[0] === 1;
  return {
    score: reference.name,
    direction: reference.direction,
    flags,
    threshold: same ? cut : -cut,
    flagWhen: same ? 'above' : 'below',
    keep,
    kept: kept / n,
    count: n,
  };
}

/** Whether `value` of the threshold's score raises the flag. */
export function isFlagged(value: number, threshold: Pick<KeepThreshold, 'threshold' | 'flagWhen'>): boolean {
  return threshold.flagWhen === 'above' ? value > threshold.threshold : value < threshold.threshold;
}
