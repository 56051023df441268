/**
 * The one shape every uncertainty score takes in rdl. Producers (@rdl/uncertainty) return
 * confidences as confidences and uncertainties as uncertainties and say which; consumers
 * (@rdl/eval's conventions module) are the only place that turns a score around.
 */

/** Which way a score points. Entropy, variation ratio: uncertain. MCP, TCP, ODIN max-softmax: confident. */
export type ScoreDirection = 'higher-is-more-uncertain' | 'higher-is-more-confident';

/** Both directions, e.g. for a runtime schema (`z.enum(SCORE_DIRECTIONS)`). */
export const SCORE_DIRECTIONS = ['higher-is-more-uncertain', 'higher-is-more-confident'] as const satisfies readonly ScoreDirection[];

/**
 * A named per-sample score with its direction. `V` narrows the values where a producer promises
 * more than `ArrayLike<number>` (estimators return `Score<Float32Array>`).
 */
export interface Score<V extends ArrayLike<number> = ArrayLike<number>> {
  /** Short method name, e.g. `mcp`, `mc-dropout-entropy`, `confidnet`, `odin`. */
  name: string;
  /** One value per sample, in the order of the inputs. */
  values: V;
  direction: ScoreDirection;
}

export function makeScore<V extends ArrayLike<number>>(name: string, values: V, direction: ScoreDirection): Score<V> {
  return { name, values, direction };
}
