import { z } from 'zod';

/**
 * The SPEC's week-2 claim, judged per pair (a Bayesian method and its point-estimate baseline,
 * fitted on the same data), in two numbers that cannot be inflated by a near-zero denominator:
 *
 * - 'far-entropy-above-baseline': the Bayesian method's mean predictive entropy far from the data
 *   is above its baseline's (entropy in nats, higher = more uncertain).
 * - 'epistemic-far-above-near': the Bayesian method's mean mutual information (the epistemic part)
 *   far from the data is above its mean on the training points.
 *
 * Not the far/near entropy ratio: a point estimate's near-zero entropy on its own training points
 * makes that ratio large for the wrong reason (SPEC, "Near vs far").
 */
export const NEAR_FAR_CLAIMS = ['far-entropy-above-baseline', 'epistemic-far-above-near'] as const;
export type NearFarClaimKind = (typeof NEAR_FAR_CLAIMS)[number];

export const nearFarClaimSchema = z.object({
  claim: z.enum(NEAR_FAR_CLAIMS),
  /** "<method> vs <baseline>". */
  pair: z.string(),
  method: z.string(),
  baseline: z.string(),
  dataset: z.string(),
  /** What `value` is: the method's far entropy, or its far mutual information. */
  metric: z.enum(['entropyFar', 'miFar']),
  /** The Bayesian method's number. */
  value: z.number(),
  /** What `reference` is: the baseline's far entropy, or the method's own near mutual information. */
  referenceMetric: z.enum(['baseline entropyFar', 'miNear']),
  /** The number `value` must exceed for the claim to hold. */
  reference: z.number(),
  /** value − reference: > 0 exactly when the claim holds; what a multi-seed study averages. */
  difference: z.number(),
  holds: z.boolean(),
});
export type NearFarClaim = z.infer<typeof nearFarClaimSchema>;

/** The near/far numbers of one method on one data set (as week 2's evaluate computes them). */
export interface NearFarNumbers {
  method: string;
  dataset: string;
  entropyFar: number;
  miNear: number;
  miFar: number;
}

/** A Bayesian method and its point-estimate baseline on one data set. */
export interface ClaimPair {
  method: string;
  baseline: string;
  dataset: string;
}

/** "value above reference", strictly: equal numbers do not show more uncertainty. */
export function judgeAbove(value: number, reference: number, what: string): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(reference)) {
    throw new Error(`${what}: cannot judge a non-finite number (${value} vs ${reference})`);
  }
  return value > reference;
}

function find(all: readonly NearFarNumbers[], method: string, dataset: string): NearFarNumbers {
  const m = all.find((x) => x.method === method && x.dataset === dataset);
  if (!m) throw new Error(`near/far claims: no metrics for method "${method}" on data set "${dataset}"`);
  return m;
}

/** Both claims for every pair, in the order of `pairs` (far entropy first, then the epistemic part). */
export function nearFarClaims(pairs: readonly ClaimPair[], metrics: readonly NearFarNumbers[]): NearFarClaim[] {
  return pairs.flatMap(({ method, baseline, dataset }) => {
    const bayes = find(metrics, method, dataset);
    const base = find(metrics, baseline, dataset);
    const pair = `${method} vs ${baseline}`;
    const common = { pair, method, baseline, dataset };
    const what = `${pair} on ${dataset}`;
    return [
      {
        ...common,
        claim: 'far-entropy-above-baseline' as const,
        metric: 'entropyFar' as const,
        value: bayes.entropyFar,
        referenceMetric: 'baseline entropyFar' as const,
        reference: base.entropyFar,
        difference: bayes.entropyFar - base.entropyFar,
        holds: judgeAbove(bayes.entropyFar, base.entropyFar, `${what}, far entropy`),
      },
      {
        ...common,
        claim: 'epistemic-far-above-near' as const,
        metric: 'miFar' as const,
        value: bayes.miFar,
        referenceMetric: 'miNear' as const,
        reference: bayes.miNear,
        difference: bayes.miFar - bayes.miNear,
        holds: judgeAbove(bayes.miFar, bayes.miNear, `${what}, mutual information far vs near`),
      },
    ];
  });
}
