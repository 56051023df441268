import type { PairSpec, SeedValue } from '@rdl/eval';
import { CLAIM_PAIRS, type MethodMetrics } from './evaluate.js';

// What the week-2 study reads from each seed's `evaluate` metrics: the numbers behind the claims
// that `evaluate` judges per seed (its CLAIM_PAIRS), so the study and the single run judge the same pairs.

export const FAR_ENTROPY = 'far entropy';
export const NEAR_ENTROPY = 'near entropy';
export const FAR_MI = 'far MI';
export const NEAR_MI = 'near MI';

/** A method on one dataset: the unit of a week-2 comparison. */
export const methodOn = (method: string, dataset: string): string => `${method} · ${dataset}`;

/** Point estimates: no epistemic part, so no "far MI above near MI" claim. */
const POINT_ESTIMATES = new Set(['MAP', 'Deterministic']);

export const WEEK2_FIGURE_METRICS = [FAR_ENTROPY, FAR_MI];

/** One seed's numbers: per method and dataset, the near and far entropy and MI, and the accuracy. */
export function week2SeedValues(inputs: { evaluate: { metrics: MethodMetrics[] } }): Omit<SeedValue, 'seed'>[] {
  return inputs.evaluate.metrics.flatMap((m) => {
    const method = methodOn(m.method, m.dataset);
    return [
      { method, metric: 'accuracy', value: m.accuracy },
      { method, metric: NEAR_ENTROPY, value: m.entropyNear },
      { method, metric: FAR_ENTROPY, value: m.entropyFar },
      { method, metric: NEAR_MI, value: m.miNear },
      { method, metric: FAR_MI, value: m.miFar },
    ];
  });
}

/**
 * The revised SPEC's claims as paired differences, for the methods and datasets the seeds have:
 * far entropy of each Bayesian method minus its baseline's, and each Bayesian method's far MI
 * minus its near MI. A pair whose method the run lacks on a dataset is skipped by summarizeSeeds.
 */
export function week2Pairs(values: SeedValue[]): PairSpec[] {
  const present = new Set(values.map((v) => v.method));
  const pairs: PairSpec[] = [];
  for (const { method, baseline, dataset } of CLAIM_PAIRS) {
    const a = methodOn(method, dataset);
    const b = methodOn(baseline, dataset);
    if (present.has(a) && present.has(b))
      pairs.push({ a: { method: a, metric: FAR_ENTROPY }, b: { method: b, metric: FAR_ENTROPY }, better: 'higher' });
  }
  for (const method of present) {
    if (POINT_ESTIMATES.has(method.split(' · ')[0]!)) continue;
    // A closed-form predictive (Laplace probit) reports no MI: 0 everywhere is "no epistemic part", not a claim.
    const hasMi = values.some((v) => v.method === method && (v.metric === FAR_MI || v.metric === NEAR_MI) && v.value !== 0);
    if (!hasMi) continue;
    pairs.push({ a: { method, metric: FAR_MI }, b: { method, metric: NEAR_MI }, better: 'higher' });
  }
  return pairs;
}

/** Week-2 numbers are nats (entropy, MI) or fractions (accuracy): four significant digits. */
export const week2Format = (_metric: string, value: number): number => Number(value.toPrecision(4));
export const week2Unit = (metric: string): string => (metric === 'accuracy' ? '' : ' (nats)');
