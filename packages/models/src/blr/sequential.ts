import type { Basis } from './basis.js';
import { fitBayesianLinearRegression, type BlrHyperparams, type BlrPosterior } from './posterior.js';

export interface SequentialPosterior {
  /** Number of leading training points used. */
  count: number;
  posterior: BlrPosterior;
}

/**
 * Posteriors after the first `count` points for each count (question 1.1: 0, 1, 2, 10, 25),
 * each refitted from scratch (the closed form makes that exact and cheap). Count 0 is the prior.
 */
export function sequentialPosteriors(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  basis: Basis,
  hyper: BlrHyperparams,
  counts: readonly number[] = [0, 1, 2, 10, 25],
): SequentialPosterior[] {
  if (x.length !== y.length) throw new Error(`sequentialPosteriors: x has ${x.length} values but y has ${y.length}`);
  return counts.map((count) => {
    if (!Number.isInteger(count) || count < 0 || count > x.length) {
      throw new Error(`sequentialPosteriors: count ${count} is not an integer in 0..${x.length}`);
    }
    const xs = Array.from({ length: count }, (_, i) => x[i]);
    const ys = Array.from({ length: count }, (_, i) => y[i]);
    return { count, posterior: fitBayesianLinearRegression(basis.design(xs), ys, hyper) };
  });
}
