import {
  argmaxRows,
  expectedEntropy,
  maxSoftmaxProbability,
  meanProbabilities,
  mutualInformation,
  predictiveEntropy,
  variationRatioFromVotes,
  voteCounts,
  type SampleShape,
} from './classification-scores.js';
import { makeScore, type Score } from './detector.js';

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
  confidence: Score;
  /** `mc-dropout-variation-ratio`: 1 − modal votes / T; higher = more uncertain. */
  variationRatio: Score;
  /** `mc-dropout-entropy`: entropy of the mean probabilities; higher = more uncertain. */
  entropy: Score;
  /** `mc-dropout-mutual-information`: H[mean] − mean H; higher = more uncertain. */
  mutualInformation: Score;
  /** `mc-dropout-expected-entropy`: mean H over passes; higher = more uncertain. */
  expectedEntropy: Score;
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
    scores: {
      confidence: makeScore(
        'mc-dropout-confidence',
        maxSoftmaxProbability(meanProbs, numClasses),
        'higher-is-more-confident',
      ),
      variationRatio: makeScore('mc-dropout-variation-ratio', variationRatioFromVotes(votes, shape), 'higher-is-more-uncertain'),
      entropy: makeScore('mc-dropout-entropy', predictiveEntropy(meanProbs, numClasses), 'higher-is-more-uncertain'),
      mutualInformation: makeScore(
        'mc-dropout-mutual-information',
        mutualInformation(samples, shape),
        'higher-is-more-uncertain',
      ),
      expectedEntropy: makeScore(
        'mc-dropout-expected-entropy',
        expectedEntropy(samples, shape),
        'higher-is-more-uncertain',
      ),
    },
  };
}

/** The MC-dropout score used as "the" method for a task (see `MC_DROPOUT_HEADLINE`). */
export function mcDropoutHeadline(summary: McDropoutSummary, task: McDropoutTask): Score {
  return summary.scores[MC_DROPOUT_HEADLINE[task]];
}
