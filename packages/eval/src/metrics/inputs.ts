/**
 * Input checks shared by the metrics. Arrays are checked by hand rather than with zod because
 * they hold 10k–70k entries; scalar options go through zod where they are declared.
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

/** Checks a flat row-major N×C probability matrix against N integer labels in [0, C); returns C. */
export function checkProbs(fn: string, probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = labels.length;
  if (n === 0) throw new Error(`${fn}: labels is empty`);
  if (probs.length % n !== 0 || probs.length === 0) {
    throw new Error(`${fn}: probs has ${probs.length} entries, not a multiple of labels.length = ${n} (expected N×C, row-major)`);
  }
  const c = probs.length / n;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= c) throw new Error(`${fn}: labels[${i}] = ${y} is not a class index in [0, ${c})`);
    let sum = 0;
    for (let j = 0; j < c; j++) {
      const p = probs[i * c + j];
      if (!(p >= 0 && p <= 1)) throw new Error(`${fn}: probs[${i}, ${j}] = ${p} is not a probability in [0, 1]`);
      sum += p;
    }
    // Float32 softmax outputs sum to 1 only up to rounding; a looser miss means logits or a wrong C.
    if (Math.abs(sum - 1) > 1e-3) throw new Error(`${fn}: probs row ${i} sums to ${sum}, not 1 (are these logits, or is C = ${c} wrong?)`);
  }
  return c;
}

/** Checks integer class arrays of equal, non-zero length. */
export function checkClasses(fn: string, predicted: ArrayLike<number>, truth: ArrayLike<number>): void {
  if (predicted.length !== truth.length) {
    throw new Error(`${fn}: predicted has ${predicted.length} entries but truth has ${truth.length}`);
  }
  if (predicted.length === 0) throw new Error(`${fn}: predicted and truth are empty`);
  for (let i = 0; i < predicted.length; i++) {
    if (!Number.isInteger(predicted[i])) throw new Error(`${fn}: predicted[${i}] = ${predicted[i]} is not an integer class`);
    if (!Number.isInteger(truth[i])) throw new Error(`${fn}: truth[${i}] = ${truth[i]} is not an integer class`);
  }
}
