/**
 * The one shape every uncertainty score takes. It is structurally identical to the `Score` of
 * `@rdl/eval`'s conventions module, which is the only place that ever negates a score: estimators
 * here return confidences as confidences and uncertainties as uncertainties, and say which.
 */
export type ScoreDirection = 'higher-is-more-uncertain' | 'higher-is-more-confident';

export interface Score {
  /** Short method name, e.g. `mcp`, `mc-dropout-entropy`, `confidnet`, `odin`. */
  name: string;
  /** One value per sample, in the order of the inputs. */
  values: Float32Array;
  direction: ScoreDirection;
}

/** A method that turns some input (probabilities, images, features...) into one score per sample. */
export interface Detector<Input> {
  readonly name: string;
  readonly direction: ScoreDirection;
  score(input: Input): Score | Promise<Score>;
}

export function makeScore(name: string, values: Float32Array, direction: ScoreDirection): Score {
  return { name, values, direction };
}
