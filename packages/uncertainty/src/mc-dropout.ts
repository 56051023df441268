import {
  argmaxRows,
  expectedEntropy,
  maxSoftmaxProbability,
  meanProbabilities,
  mutualInformation,
  predictiveEntropy,
  rowCount,
  variationRatioFromVotes,
  voteCounts,
  type SampleShape,
} from './classification-scores.js';
import { makeScore, type Score, type ScoreDirection } from '@rdl/core';

/**
 * MC dropout (Gal & Ghahramani 2016): T stochastic passes with dropout on, summarised here.
 *
 * Headline scores (the ones the week-3 comparison plots for "MC dropout"), following the course
 * notebook, which averages the T softmax outputs first:
 * - failure prediction: `confidence`, the MCP of the mean probabilities (max_c mean_t p_t,c),
 *   higher = more confident — the like-for-like counterpart of MCP and ConfidNet;
 * - OOD detection: `entropy`, the predictive entropy H[mean_t p_t], higher = more uncertain,
 *   which captures both aleatoric and epistemic spread.
 * Variation ratio, mutual information and expected entropy are reported alongside.
 */
export type McDropoutTask = 'failure' | 'ood';

export const MC_DROPOUT_HEADLINE: Readonly<Record<McDropoutTask, keyof McDropoutScores>> = {
  failure: 'confidence',
  ood: 'entropy',
};

export interface McDropoutScores {
  /** `mc-dropout-confidence`: max of the mean probabilities; higher = more confident. */
  confidence: Score<Float32Array>;
  /** `mc-dropout-variation-ratio`: 1 − modal votes / T; higher = more uncertain. */
  variationRatio: Score<Float32Array>;
  /** `mc-dropout-entropy`: entropy of the mean probabilities; higher = more uncertain. */
  entropy: Score<Float32Array>;
  /** `mc-dropout-mutual-information`: H[mean] − mean H; higher = more uncertain. */
  mutualInformation: Score<Float32Array>;
  /** `mc-dropout-expected-entropy`: mean H over passes; higher = more uncertain. */
  expectedEntropy: Score<Float32Array>;
}

/** Name and direction of each MC-dropout score, stated once. */
export const MC_DROPOUT_SCORES: Readonly<Record<keyof McDropoutScores, { name: string; direction: ScoreDirection }>> = {
  confidence: { name: 'mc-dropout-confidence', direction: 'higher-is-more-confident' },
  variationRatio: { name: 'mc-dropout-variation-ratio', direction: 'higher-is-more-uncertain' },
  entropy: { name: 'mc-dropout-entropy', direction: 'higher-is-more-uncertain' },
  mutualInformation: { name: 'mc-dropout-mutual-information', direction: 'higher-is-more-uncertain' },
  expectedEntropy: { name: 'mc-dropout-expected-entropy', direction: 'higher-is-more-uncertain' },
};

function scoresFrom(values: Record<keyof McDropoutScores, Float32Array>): McDropoutScores {
  const score = (key: keyof McDropoutScores) => makeScore(MC_DROPOUT_SCORES[key].name, values[key], MC_DROPOUT_SCORES[key].direction);
  return {
    confidence: score('confidence'),
    variationRatio: score('variationRatio'),
    entropy: score('entropy'),
    mutualInformation: score('mutualInformation'),
    expectedEntropy: score('expectedEntropy'),
  };
}

export interface McDropoutSummary {
  count: number;
  passes: number;
  numClasses: number;
  /** N×C mean over passes. */
  meanProbs: Float32Array;
  /** argmax of the mean probabilities: the MC-dropout prediction. */
  predicted: Int32Array;
  /** N×C argmax votes over passes (for the per-image vote histogram). */
  votes: Int32Array;
  scores: McDropoutScores;
}

/** Summarise T×N×C stochastic-pass probabilities (pass-major, as `mcDropoutProbs` returns them). */
export function summarizeMcDropout(samples: Float32Array, shape: SampleShape): McDropoutSummary {
  const meanProbs = meanProbabilities(samples, shape);
  const { passes, numClasses } = shape;
  const votes = voteCounts(samples, shape);
  return {
    count: meanProbs.length / numClasses,
    passes,
    numClasses,
    meanProbs,
    predicted: argmaxRows(meanProbs, numClasses),
    votes,
    scores: scoresFrom({
      confidence: maxSoftmaxProbability(meanProbs, numClasses),
      variationRatio: variationRatioFromVotes(votes, shape),
      entropy: predictiveEntropy(meanProbs, numClasses),
      mutualInformation: mutualInformation(samples, shape),
      expectedEntropy: expectedEntropy(samples, shape),
    }),
  };
}

/** The MC-dropout score used as "the" method for a task (see `MC_DROPOUT_HEADLINE`). */
export function mcDropoutHeadline(summary: McDropoutSummary, task: McDropoutTask): Score<Float32Array> {
  return summary.scores[MC_DROPOUT_HEADLINE[task]];
}

/**
 * A summary read back from storage (e.g. the Arrow columns a pipeline stage wrote): N×C mean
 * probabilities and votes, the prediction and each score's values. C comes from `numClasses`, T
 * from the votes (every image's votes add up to T); names and directions are the package's own.
 */
export function restoreMcDropoutSummary(stored: {
  numClasses: number;
  meanProbs: Float32Array;
  votes: Int32Array;
  predicted: Int32Array;
  values: Record<keyof McDropoutScores, Float32Array>;
}): McDropoutSummary {
  const { numClasses, meanProbs, votes, predicted } = stored;
  const count = rowCount(meanProbs, numClasses, 'meanProbs');
  if (votes.length !== meanProbs.length) throw new Error(`votes has ${votes.length} values, meanProbs ${meanProbs.length}`);
  if (predicted.length !== count) throw new Error(`predicted has ${predicted.length} values for ${count} images`);
  for (const [key, values] of Object.entries(stored.values)) {
    if (values.length !== count) throw new Error(`${key} has ${values.length} values for ${count} images`);
  }
  let passes = 0;
  for (let c = 0; c < numClasses; c++) passes += votes[c] ?? 0;
  return { count, passes, numClasses, meanProbs, predicted, votes, scores: scoresFrom(stored.values) };
}
