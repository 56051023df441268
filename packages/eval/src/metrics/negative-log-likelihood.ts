import { checkProbs } from './inputs.js';

/** Probabilities are clamped here so that one confidently wrong sample gives a large, finite loss. */
export const NLL_PROB_FLOOR = 1e-12;

/**
 * Mean negative log-likelihood of the true class, −(1/N) Σᵢ log max(p_{i,yᵢ}, 1e-12), in nats.
 *
 * @param probs row-major N×C class probabilities (rows sum to 1).
 * @param labels N true class indices.
 */
export function negativeLogLikelihood(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  const c = checkProbs('negativeLogLikelihood', probs, labels);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum -= Math.log(Math.max(probs[i * c + labels[i]], NLL_PROB_FLOOR));
  return sum / labels.length;
}
