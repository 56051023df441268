import { createRng } from '@rdl/core';
import type { Score } from '@rdl/core';
import {
  mcDropoutHeadline,
  summarizeMcDropout,
  MC_DROPOUT_HEADLINE,
  type McDropoutScores,
  type McDropoutSummary,
  type McDropoutTask,
} from '../mc-dropout.js';
import { predictiveSamples, type StochasticBinaryClassifier } from '@rdl/models';
import { withDefaults, type HyperSpace, type UncertaintyMethod } from '../method.js';
import { binaryMethod, type BinaryMethod, type BinaryStatistic } from './binary.js';

/**
 * Any classifier whose forward pass can be random (dropout kept on, weight samples): LeNet, a
 * user's small tfjs model with dropout, anything. MC dropout wraps it; it knows no architecture.
 */
export interface StochasticClassifier<X> {
  /** C, the width of each row of probabilities. */
  readonly numClasses: number;
  /** One stochastic pass over x: N×C probabilities. The same seed gives the same pass. */
  sample(x: X, seed: number): Float32Array | Promise<Float32Array>;
  /**
   * Optional: all T passes at once, T×N×C pass-major, for a model with a faster path (LeNet runs
   * its convolutional trunk once and only the dropout head T times). Same contract: seeded.
   */
  samplePasses?(x: X, passes: number, seed: number): Float32Array | Promise<Float32Array>;
}

/** T stochastic passes, T×N×C pass-major; without `samplePasses`, pass t draws its own seed from `seed`. */
export async function sampleStochastic<X>(classifier: StochasticClassifier<X>, x: X, passes: number, seed: number): Promise<Float32Array> {
  if (!Number.isInteger(passes) || passes < 1) throw new Error(`passes must be a positive integer, got ${passes}`);
  if (classifier.samplePasses) return classifier.samplePasses(x, passes, seed);
  const rng = createRng(seed);
  let out: Float32Array | undefined;
  for (let t = 0; t < passes; t++) {
    const probs = await classifier.sample(x, rng.int(2147483647));
    out ??= new Float32Array(passes * probs.length);
    if (probs.length * passes !== out.length)
      throw new Error(`sample: pass ${t} gave ${probs.length} values, pass 0 gave ${out.length / passes}`);
    out.set(probs, t * probs.length);
  }
  return out as Float32Array;
}

/** Which MC-dropout statistic `score` returns: one of the summary's scores. */
export type McDropoutStatistic = keyof McDropoutScores;

export type McDropoutParams = { passes: number };

export const MC_DROPOUT_SPACE: HyperSpace<McDropoutParams> = { passes: [10, 30, 100] };

export interface McDropoutOptions {
  /** T, default 100 (the course's value). */
  passes?: number;
  /** Seeds the passes; the same seed gives the same scores. Default 0. */
  seed?: number;
  /**
   * The score returned: a statistic, or a task's headline (`failure` → confidence, `ood` →
   * entropy, see `MC_DROPOUT_HEADLINE`). Default `ood`.
   */
  statistic?: McDropoutStatistic | McDropoutTask;
}

export interface McDropoutMethod<X> extends UncertaintyMethod<X, McDropoutParams> {
  /** Every MC-dropout statistic of x at once, with the mean probabilities and the votes. */
  summarize(x: X, params?: Partial<McDropoutParams>): Promise<McDropoutSummary>;
}

/**
 * MC dropout (Gal & Ghahramani 2016) around any `StochasticClassifier`: T seeded passes,
 * summarised by `summarizeMcDropout`. Its hyper-parameter is T.
 */
export function createMcDropout<X>(classifier: StochasticClassifier<X>, options: McDropoutOptions = {}): McDropoutMethod<X> {
  const defaults: McDropoutParams = { passes: options.passes ?? 100 };
  const seed = options.seed ?? 0;
  const statistic = options.statistic ?? 'ood';
  const summarize = async (x: X, params?: Partial<McDropoutParams>): Promise<McDropoutSummary> => {
    const { passes } = withDefaults(defaults, params);
    const samples = await sampleStochastic(classifier, x, passes, seed);
    return summarizeMcDropout(samples, { passes, numClasses: classifier.numClasses });
  };
  return {
    name: 'mc-dropout',
    space: MC_DROPOUT_SPACE,
    defaults,
    summarize,
    async score(x, params): Promise<Score<Float32Array>> {
      const summary = await summarize(x, params);
      return statistic in MC_DROPOUT_HEADLINE
        ? mcDropoutHeadline(summary, statistic as McDropoutTask)
        : summary.scores[statistic as McDropoutStatistic];
    },
  };
}

/**
 * MC dropout for a binary classifier (week 2): the same wrapper around any two-class
 * `StochasticClassifier`, summarised with the Bernoulli statistics of p(y = 1) in float64
 * (`summarizeBinaryPredictive`) instead of the multi-class ones.
 */
export function createBinaryMcDropout(
  classifier: StochasticClassifier<Float32Array>,
  options: { passes?: number; seed?: number; statistic?: BinaryStatistic } = {},
): BinaryMethod<McDropoutParams, never> {
  if (classifier.numClasses !== 2) throw new Error(`createBinaryMcDropout: the classifier has ${classifier.numClasses} classes, not 2`);
  const seed = options.seed ?? 0;
  return binaryMethod<McDropoutParams, never>({
    name: 'mc-dropout',
    space: MC_DROPOUT_SPACE,
    defaults: { passes: options.passes ?? 100 },
    statistic: options.statistic,
    async sample(x, { passes }) {
      const probs = await sampleStochastic(classifier, x, passes, seed);
      // Column 1 of each T×N×2 row is p(y = 1).
      const samples = new Float64Array(probs.length / 2);
      for (let k = 0; k < samples.length; k++) samples[k] = probs[2 * k + 1]!;
      return { samples, passes };
    },
  });
}

/**
 * A binary model of @rdl/models that samples (`reseed` + `sampleLogits`, e.g. the MC-dropout MLP)
 * as a two-class `StochasticClassifier` on N×2 points: all T passes come from one reseed, as
 * `predictiveSamples` draws them.
 */
export function binaryStochasticClassifier(model: StochasticBinaryClassifier): StochasticClassifier<Float32Array> {
  const asTwoClass = (p: Float64Array): Float32Array => {
    const out = new Float32Array(2 * p.length);
    for (let k = 0; k < p.length; k++) {
      out[2 * k] = 1 - p[k]!;
      out[2 * k + 1] = p[k]!;
    }
    return out;
  };
  return {
    numClasses: 2,
    sample: (x, seed) => asTwoClass(predictiveSamples(model, x, 1, seed)),
    samplePasses: (x, passes, seed) => asTwoClass(predictiveSamples(model, x, passes, seed)),
  };
}
