import type { Score } from '@rdl/core';

/**
 * The one small interface every uncertainty method implements (MCP, MC dropout, ODIN, ConfidNet,
 * MAP, Laplace, VI): an optional `fit`, a `score` that states its direction, and the space of
 * hyper-parameters a search may try. `gridSearch` / `tuneMethod` work on any of them.
 */

/** A hyper-parameter value: a number (temperature, damping), a string (a mode) or a flag. */
export type HyperValue = number | string | boolean;

/** Named hyper-parameters of one method, e.g. `{ temperature: number; epsilon: number }`. */
export type HyperParams = Readonly<Record<string, HyperValue>>;

/** A method with nothing to tune. */
export type NoHyperParams = Record<never, never>;

/**
 * For each hyper-parameter, the values a search tries, in order. The grid is their Cartesian
 * product with the first key outermost, e.g. `{ temperature: [1, 1000], epsilon: [0, 0.0014] }`.
 */
export type HyperSpace<P extends HyperParams> = { readonly [K in keyof P]: readonly P[K][] };

export interface UncertaintyMethod<Input, P extends HyperParams = NoHyperParams, FitData = never> {
  /** Short name, also the name of the score it returns by default (e.g. `odin`, `confidnet`). */
  readonly name: string;
  /** The grid a search tries by default; every key is a hyper-parameter of `fit` or `score`. */
  readonly space: HyperSpace<P>;
  /** The values used where a call gives none (the paper's or the course's defaults). */
  readonly defaults: Readonly<P>;
  /** Learns what the method needs (weights, a posterior). Methods without one score right away. */
  fit?(data: FitData, params?: Partial<P>): Promise<void>;
  /** One value per input sample, with its direction. Never negated: `@rdl/eval` orients it. */
  score(input: Input, params?: Partial<P>): Promise<Score<Float32Array>>;
  /**
   * The scores of several grid points at once, in the order given, when the method can share work
   * between them (ODIN computes one input gradient per temperature for every ε).
   */
  scoreGrid?(input: Input, points: readonly P[]): Promise<Score<Float32Array>[]>;
}

/** `defaults` overridden by the given params (keys with value `undefined` keep the default). */
export function withDefaults<P extends HyperParams>(defaults: Readonly<P>, params: Partial<P> = {}): P {
  const out = { ...defaults } as Record<string, HyperValue>;
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key] = value as HyperValue;
  return out as P;
}

/** The scores of `points`, through `scoreGrid` when the method shares work, else one `score` each. */
export async function scoreGrid<Input, P extends HyperParams>(
  method: UncertaintyMethod<Input, P, unknown>,
  input: Input,
  points: readonly P[],
): Promise<Score<Float32Array>[]> {
  if (method.scoreGrid) return method.scoreGrid(input, points);
  const out: Score<Float32Array>[] = [];
  for (const point of points) out.push(await method.score(input, point));
  return out;
}
