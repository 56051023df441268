/**
 * Binary label/score check shared by the ranking metrics. Arrays are checked by hand rather than
 * with zod because they hold 10k–70k entries.
 */

/** Checks binary labels (0/1) against scores; returns the positive and negative counts. */
export function checkBinary(fn: string, labels: ArrayLike<number>, scores: ArrayLike<number>): { positives: number; negatives: number } {
  if (labels.length !== scores.length) {
    throw new Error(`${fn}: labels has ${labels.length} entries but scores has ${scores.length}`);
  }
  if (labels.length === 0) throw new Error(`${fn}: labels and scores are empty`);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new Error(`${fn}: labels must be 0 or 1 (1 = positive), labels[${i}] = ${y}`);
    if (Number.isNaN(scores[i])) throw new Error(`${fn}: scores[${i}] is NaN`);
    positives += y;
  }
  const negatives = labels.length - positives;
  if (positives === 0) throw new Error(`${fn}: labels hold no positives (all ${labels.length} are 0); the metric is undefined`);
  if (negatives === 0) throw new Error(`${fn}: labels hold no negatives (all ${labels.length} are 1); the metric is undefined`);
  return { positives, negatives };
}
