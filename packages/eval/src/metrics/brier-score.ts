import { checkProbs } from './inputs.js';

/**
 * Multiclass Brier score: squared error against the one-hot truth, SUMMED over the C classes and
 * AVERAGED over the N samples, (1/N) Σᵢ Σ_c (p_{i,c} − [c = yᵢ])², in [0, 2] (Brier's original form;
 * sklearn's binary `brier_score_loss` is this divided by 2 when C = 2).
 *
 * @param probs row-major N×C class probabilities (rows sum to 1).
 * @param labels N true class indices.
 */
export function brierScore(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  const c = checkProbs('brierScore', probs, labels);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = 0; j < c; j++) {
      const d = probs[i * c + j] - (j === labels[i] ? 1 : 0);
      sum += d * d;
    }
  }
  return sum / labels.length;
}
