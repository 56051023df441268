import { reliabilityDiagram } from '../curves/reliability.js';

/**
 * Top-label expected calibration error with `bins` equal-width confidence bins (lower, upper]:
 * ECE = Σ_b (n_b / N)·|accuracy_b − mean confidence_b|, in [0, 1].
 *
 * @param probs row-major N×C class probabilities (rows sum to 1).
 * @param labels N true class indices.
 */
export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 15): number {
  return reliabilityDiagram(probs, labels, bins).ece;
}
