import { maxSoftmaxProbability, predictiveEntropy } from './classification-scores.js';
import { makeScore, type Score } from '@rdl/core';

/** N×C softmax probabilities from one deterministic pass (dropout off). */
export interface ProbabilityInput {
  probs: Float32Array;
  numClasses: number;
}

/**
 * Maximum Class Probability (Hendrycks & Gimpel 2017): the baseline for failure prediction and
 * OOD detection. A confidence: higher = more confident.
 */
export function mcpScore(probs: Float32Array, numClasses: number): Score<Float32Array> {
  return makeScore('mcp', maxSoftmaxProbability(probs, numClasses), 'higher-is-more-confident');
}

/** Entropy of the deterministic softmax; higher = more uncertain. */
export function softmaxEntropyScore(probs: Float32Array, numClasses: number): Score<Float32Array> {
  return makeScore('softmax-entropy', predictiveEntropy(probs, numClasses), 'higher-is-more-uncertain');
}
