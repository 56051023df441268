import { createRng } from '@rdl/data';
import type { Score } from '@rdl/core';
import { mcDropoutHeadline, summarizeMcDropout, MC_DROPOUT_HEADLINE, type McDropoutScores, type McDropoutSummary, type McDropoutTask } from '../mc-dropout.js';
import { withDefaults, type HyperSpace, type UncertaintyMethod } from '../method.js';

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
    if (probs.length * passes !== out.length) throw new Error(`sample: pass ${t} gave ${probs.length} values, pass 0 gave ${out.length / passes}`);
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
      return statistic in MC_DROPOUT_HEADLINE ? mcDropoutHeadline(summary, statistic as McDropoutTask) : summary.scores[statistic as McDropoutStatistic];
    },
  };
}
