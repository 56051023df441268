import { makeScore, type Score } from '@rdl/core';
import { binaryPredictiveMean, binarySampleCount } from './predictive-sampling.js';

/**
 * Uncertainty scores for BINARY predictive samples (S×N of p(y = 1), see predictive-sampling.ts).
 * All in nats, float64. Every score here: HIGHER = MORE UNCERTAIN.
 */

/** Bernoulli entropy H(p) = −p log p − (1 − p) log(1 − p), with 0 log 0 = 0. */
export function bernoulliEntropy(p: number): number {
  let h = 0;
  if (p > 0) h -= p * Math.log(p);
  if (p < 1) h -= (1 - p) * Math.log1p(-p);
  return h;
}

/** Total uncertainty: H[p̄ᵢ], the entropy of the predictive mean. Higher = more uncertain. In [0, log 2]. */
export function binaryPredictiveEntropy(samples: ArrayLike<number>, passes: number): Float64Array {
  return binaryPredictiveMean(samples, passes).map(bernoulliEntropy);
}

/** Aleatoric part: E_s[H(pₛᵢ)], the mean entropy of the passes. Higher = more uncertain. */
export function binaryExpectedEntropy(samples: ArrayLike<number>, passes: number): Float64Array {
  const n = binarySampleCount(samples, passes);
  const out = new Float64Array(n);
  for (let s = 0; s < passes; s++) for (let i = 0; i < n; i++) out[i] += bernoulliEntropy(samples[s * n + i]);
  for (let i = 0; i < n; i++) out[i] /= passes;
  return out;
}

/**
 * Epistemic part: mutual information I[y; w] = H[p̄] − E[H(pₛ)] ≥ 0 (clamped at 0 against
 * rounding). Higher = more uncertain (passes disagree).
 */
export function binaryMutualInformation(samples: ArrayLike<number>, passes: number): Float64Array {
  const total = binaryPredictiveEntropy(samples, passes);
  const aleatoric = binaryExpectedEntropy(samples, passes);
  return total.map((h, i) => Math.max(0, h - aleatoric[i]));
}

/** Population variance over passes of pₛᵢ, in [0, ¼]. Higher = more uncertain. */
export function binaryPredictiveVariance(samples: ArrayLike<number>, passes: number): Float64Array {
  const mean = binaryPredictiveMean(samples, passes);
  const n = mean.length;
  const out = new Float64Array(n);
  for (let s = 0; s < passes; s++) {
    for (let i = 0; i < n; i++) {
      const d = samples[s * n + i] - mean[i];
      out[i] += d * d;
    }
  }
  for (let i = 0; i < n; i++) out[i] /= passes;
  return out;
}

export interface BinaryPredictiveSummary {
  /** p̄ = p(y = 1 | x, D). Not a score. */
  mean: Float64Array;
  /** H[p̄] (nats). Higher = more uncertain. */
  entropy: Float64Array;
  /** E[H(pₛ)] (nats). Higher = more uncertain. */
  expectedEntropy: Float64Array;
  /** H[p̄] − E[H(pₛ)] (nats). Higher = more uncertain. */
  mutualInformation: Float64Array;
  /** Var_s[pₛ]. Higher = more uncertain. */
  variance: Float64Array;
}

/** All binary scores at once (one pass over the validation). */
export function summarizeBinaryPredictive(samples: ArrayLike<number>, passes: number): BinaryPredictiveSummary {
  const mean = binaryPredictiveMean(samples, passes);
  const expectedEntropy = binaryExpectedEntropy(samples, passes);
  const entropy = mean.map(bernoulliEntropy);
  return {
    mean,
    entropy,
    expectedEntropy,
    mutualInformation: entropy.map((h, i) => Math.max(0, h - expectedEntropy[i])),
    variance: binaryPredictiveVariance(samples, passes),
  };
}

/** The summary's scores in the shared `Score` shape (float32 values, all higher-is-more-uncertain). */
export function binaryScores(summary: BinaryPredictiveSummary, prefix: string): Score<Float32Array>[] {
  const f = (name: string, v: Float64Array) => makeScore(`${prefix}-${name}`, Float32Array.from(v), 'higher-is-more-uncertain');
  return [
    f('entropy', summary.entropy),
    f('expected-entropy', summary.expectedEntropy),
    f('mutual-information', summary.mutualInformation),
    f('variance', summary.variance),
  ];
}

/**
 * The SPEC's "near vs far" number: mean of a score over far grid points divided by its mean over
 * the training points (> 1 ⇒ the model is more uncertain away from the data).
 */
export function farNearRatio(farScores: ArrayLike<number>, nearScores: ArrayLike<number>): number {
  if (farScores.length === 0 || nearScores.length === 0) throw new Error('farNearRatio needs non-empty far and near scores');
  let far = 0;
  for (let i = 0; i < farScores.length; i++) far += farScores[i];
  let near = 0;
  for (let i = 0; i < nearScores.length; i++) near += nearScores[i];
  return far / farScores.length / (near / nearScores.length);
}
