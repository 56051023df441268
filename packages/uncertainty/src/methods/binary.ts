import { makeScore, type Score } from '@rdl/core';
import { summarizeBinaryPredictive, type BinaryPredictiveSummary } from '../binary-scores.js';
import { withDefaults, type HyperParams, type HyperSpace, type UncertaintyMethod } from '../method.js';

/** Binary training data on 2-D points (week 2): x is N×2 row-major, y in {0, 1}. */
export interface BinaryData {
  x: Float32Array;
  y: Uint8Array;
}

/** S×N pass-major draws of p(y = 1 | x); S = 1 for a point estimate. */
export interface BinarySamples {
  samples: Float64Array;
  passes: number;
}

/** Which binary statistic `score` returns (all higher = more uncertain). */
export type BinaryStatistic = 'entropy' | 'expectedEntropy' | 'mutualInformation' | 'variance';

const STATISTIC_NAMES: Readonly<Record<BinaryStatistic, string>> = {
  entropy: 'entropy',
  expectedEntropy: 'expected-entropy',
  mutualInformation: 'mutual-information',
  variance: 'variance',
};

/** A week-2 method: a binary classifier on 2-D points whose predictive is a set of samples. */
export interface BinaryMethod<P extends HyperParams, FitData = BinaryData> extends UncertaintyMethod<Float32Array, P, FitData> {
  /** The predictive samples at x (N×2). */
  sample(x: Float32Array, params?: Partial<P>): Promise<BinarySamples>;
  /** Predictive mean, entropy, expected entropy, mutual information and variance at x. */
  predictive(x: Float32Array, params?: Partial<P>): Promise<BinaryPredictiveSummary>;
}

/** Builds a `BinaryMethod` from its fit and its sampler; `score` is `statistic` of the summary. */
export function binaryMethod<P extends HyperParams, FitData>(spec: {
  name: string;
  space: HyperSpace<P>;
  defaults: P;
  statistic?: BinaryStatistic;
  fit?(data: FitData, params: P): Promise<void> | void;
  sample(x: Float32Array, params: P): BinarySamples | Promise<BinarySamples>;
}): BinaryMethod<P, FitData> {
  const statistic = spec.statistic ?? 'entropy';
  const sample = async (x: Float32Array, params?: Partial<P>): Promise<BinarySamples> =>
    spec.sample(x, withDefaults(spec.defaults, params));
  const predictive = async (x: Float32Array, params?: Partial<P>): Promise<BinaryPredictiveSummary> => {
    const { samples, passes } = await sample(x, params);
    return summarizeBinaryPredictive(samples, passes);
  };
  const fit = spec.fit;
  return {
    name: spec.name,
    space: spec.space,
    defaults: spec.defaults,
    ...(fit && {
      async fit(data: FitData, params?: Partial<P>) {
        await fit(data, withDefaults(spec.defaults, params));
      },
    }),
    sample,
    predictive,
    async score(x, params): Promise<Score<Float32Array>> {
      const summary = await predictive(x, params);
      return makeScore(`${spec.name}-${STATISTIC_NAMES[statistic]}`, Float32Array.from(summary[statistic]), 'higher-is-more-uncertain');
    },
  };
}

/** Throws the usual message when a method is used before `fit`. */
export function fitted<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name}: call fit before scoring`);
  return value;
}

/** `method` with `extras`' properties added, getters kept as getters (Object.assign would read them once). */
export function extend<M extends object, E extends object>(method: M, extras: E): M & E {
  return Object.defineProperties(method, Object.getOwnPropertyDescriptors(extras)) as M & E;
}
