import { z } from 'zod';
import { argmaxRow } from '@rdl/core';
import { checkProbs } from '../metrics/inputs.js';

const binsSchema = z.number().int().min(1);

export interface ReliabilityBin {
  /** Bin covers confidences in (lower, upper]; the first bin also takes a confidence of exactly 0. */
  lower: number;
  upper: number;
  count: number;
  /** Mean top-label confidence in the bin; null when the bin is empty. */
  confidence: number | null;
  /** Fraction of the bin whose top label is the true class; null when the bin is empty. */
  accuracy: number | null;
}

export interface ReliabilityDiagram {
  bins: ReliabilityBin[];
  /** Top-label expected calibration error: Σ_b (n_b / N)·|accuracy_b − confidence_b|. */
  ece: number;
  count: number;
}

/** Bin index of a confidence in [0, 1] for equal-width bins (lower, upper]. */
function binOf(confidence: number, bins: number): number {
  return Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1));
}

/**
 * Top-label reliability diagram with equal-width bins over [0, 1] (Guo et al. 2017): each sample
 * goes to the bin of its largest probability; the predicted class is the first argmax.
 *
 * @param probs row-major N×C class probabilities (rows sum to 1).
 * @param labels N true class indices.
 * @param bins number of equal-width bins, default 15.
 */
export function reliabilityDiagram(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 15): ReliabilityDiagram {
  if (!binsSchema.safeParse(bins).success) throw new Error(`reliabilityDiagram: bins must be a positive integer, got ${bins}`);
  const c = checkProbs('reliabilityDiagram', probs, labels);
  const n = labels.length;
  const count = new Float64Array(bins);
  const confSum = new Float64Array(bins);
  const correct = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const best = argmaxRow(probs, i * c, c);
    const top = probs[i * c + best];
    const b = binOf(top, bins);
    count[b]++;
    confSum[b] += top;
    if (best === labels[i]) correct[b]++;
  }
  const out: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const nb = count[b];
    const confidence = nb > 0 ? confSum[b] / nb : null;
    const acc = nb > 0 ? correct[b] / nb : null;
    if (confidence !== null && acc !== null) ece += (nb / n) * Math.abs(acc - confidence);
    out.push({ lower: b / bins, upper: (b + 1) / bins, count: nb, confidence, accuracy: acc });
  }
  return { bins: out, ece, count: n };
}
