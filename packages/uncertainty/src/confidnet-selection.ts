import { averagePrecision } from '@rdl/core';

/**
 * How ConfidNet's epoch is chosen and when its training stops, as pure functions of the
 * per-epoch validation values. Training code cannot import @rdl/eval, so the criterion uses
 * core's one average precision directly.
 */

/** Which way a validation criterion improves. */
export type Improvement = 'higher' | 'lower';

/**
 * AUPR-Error of a confidence on held-out data: average precision with the classifier's errors as
 * the positive class, ranked by the negated confidence (least confident first). The same number
 * as @rdl/eval's AUPR-Error (positive class `error`, a confidence score turned around).
 *
 * @param errors 1 where the (deterministic) classifier is wrong, 0 where right; both must occur.
 */
export function auprError(errors: ArrayLike<number>, confidence: ArrayLike<number>): number {
  const uncertainty = new Float64Array(confidence.length);
  for (let i = 0; i < confidence.length; i++) uncertainty[i] = -confidence[i];
  return averagePrecision(errors, uncertainty);
}

/**
 * Index of the best value (NaN never wins). Ties go to the earliest epoch: a later epoch must be
 * strictly better to be kept, so the shortest training that reaches the best value is chosen.
 * Returns -1 when every value is NaN or the list is empty.
 */
export function bestEpochIndex(values: readonly number[], improvement: Improvement): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (best === -1 || (improvement === 'higher' ? v > values[best] : v < values[best])) best = i;
  }
  return best;
}

/**
 * Early stopping: true once `patience` epochs have passed without beating the best epoch so far
 * (all-NaN counts as no improvement since the start).
 */
export function shouldStop(values: readonly number[], improvement: Improvement, patience: number): boolean {
  if (!Number.isInteger(patience) || patience < 1) throw new Error(`patience must be an integer ≥ 1, got ${patience}`);
  const best = bestEpochIndex(values, improvement);
  return values.length - 1 - best >= patience;
}
