import { makeScore, type Score } from '@rdl/core';
import { withDefaults, type HyperSpace, type UncertaintyMethod } from '../method.js';
import { ODIN_DEFAULT_EPSILONS, ODIN_DEFAULT_TEMPERATURES, odinScoresForEpsilons, type ImageSource, type LogitsFn } from '../odin.js';

export type OdinParams = { temperature: number; epsilon: number };

/** The grid of Liang et al.'s search, temperatures outer: [1, 10, 100, 1000] × [0 … 0.005]. */
export const ODIN_SPACE: HyperSpace<OdinParams> = { temperature: ODIN_DEFAULT_TEMPERATURES, epsilon: ODIN_DEFAULT_EPSILONS };

export interface OdinMethodOptions {
  /** Default: T = 1000, ε = 0.0014 (the paper's choice). */
  defaults?: Partial<OdinParams>;
  /** Images per forward/backward pass, default 256. */
  batchSize?: number;
  /** σ of the input normalisation (ε stays in pixel units), default 1. */
  inputStd?: number;
}

/**
 * ODIN (Liang, Li & Srikant 2018) around any logits function: temperature-scaled max softmax of
 * the input nudged by ε. No fit; `scoreGrid` computes one input gradient per temperature and reuses
 * it for every ε of the grid. Higher = more in-distribution.
 */
export function createOdin(logitsFn: LogitsFn, options: OdinMethodOptions = {}): UncertaintyMethod<ImageSource, OdinParams> {
  const defaults: OdinParams = { temperature: 1000, epsilon: 0.0014, ...options.defaults };
  const batch = { batchSize: options.batchSize, inputStd: options.inputStd };
  const scoreGrid = async (input: ImageSource, points: readonly OdinParams[]): Promise<Score<Float32Array>[]> => {
    const out: Score<Float32Array>[] = new Array(points.length);
    const temperatures = [...new Set(points.map((p) => p.temperature))];
    for (const temperature of temperatures) {
      const at = points.flatMap((p, k) => (p.temperature === temperature ? [k] : []));
      const values = await odinScoresForEpsilons(
        logitsFn,
        input,
        temperature,
        at.map((k) => points[k]!.epsilon),
        batch,
      );
      at.forEach((k, j) => (out[k] = makeScore('odin', values[j]!, 'higher-is-more-confident')));
    }
    return out;
  };
  return {
    name: 'odin',
    space: ODIN_SPACE,
    defaults,
    scoreGrid,
    async score(input, params) {
      const [score] = await scoreGrid(input, [withDefaults(defaults, params)]);
      return score!;
    },
  };
}
