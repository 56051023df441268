/**
 * Input checks shared by the metrics. Arrays are checked by hand rather than with zod because
 * they hold 10k–70k entries; scalar options go through zod where they are declared.
 */

/** The binary label/score check lives in `@rdl/core` beside the one threshold scan that uses it. */
export { checkBinary } from '@rdl/core';

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
