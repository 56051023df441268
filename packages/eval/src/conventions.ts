/**
 * Score directions and positive classes, stated and applied in ONE place.
 *
 * Every detector/estimator in rdl hands its scores over as a `Score`, saying which way it points.
 * Metrics never guess: they take labels with 1 = positive and scores with higher = more positive,
 * and `orientScore` is the only function in the code base that turns a score around.
 */
import { SCORE_DIRECTIONS, type Score, type ScoreDirection } from '@rdl/core';
import { z } from 'zod';

// The one Score type and its direction live in @rdl/core; this module states what they mean for
// metrics and is the only place that orients a score.
export type { Score, ScoreDirection } from '@rdl/core';

/** The class a metric counts as "positive" (label 1). */
export type PositiveClass = 'error' | 'success' | 'ood' | 'in-distribution';

export interface PositiveClassInfo {
  /** Short human label, e.g. for legends and table headers. */
  label: string;
  /** One sentence for reports and doc comments. */
  description: string;
  /** The direction a score must have so that higher = more likely this positive class. */
  higherMeans: ScoreDirection;
}

/** Human description of each positive class and the score direction it needs. */
export const POSITIVE_CLASSES: Readonly<Record<PositiveClass, PositiveClassInfo>> = Object.freeze({
  error: {
    label: 'errors',
    description: 'errors (misclassified test images) are positive',
    higherMeans: 'higher-is-more-uncertain',
  },
  success: {
    label: 'successes',
    description: 'successes (correctly classified test images) are positive',
    higherMeans: 'higher-is-more-confident',
  },
  ood: {
    label: 'out-of-distribution',
    description: 'out-of-distribution inputs are positive',
    higherMeans: 'higher-is-more-uncertain',
  },
  'in-distribution': {
    label: 'in-distribution',
    description: 'in-distribution inputs are positive',
    higherMeans: 'higher-is-more-confident',
  },
});

export const scoreDirectionSchema = z.enum(SCORE_DIRECTIONS);
export const positiveClassSchema = z.enum(['error', 'success', 'ood', 'in-distribution']);

const scoreShapeSchema = z.object({
  name: z.string().min(1),
  direction: scoreDirectionSchema,
  values: z.custom<ArrayLike<number>>(
    (v) => v !== null && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number',
    'must be an array of numbers',
  ),
});

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? `.${issue.path.join('.')}` : '';
    throw new Error(`${what}${path}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Runtime check of a Score coming from JavaScript or a file (direction must be one of the two). */
export function checkScore(score: Score, what = 'score'): Score {
  parseOrThrow(scoreShapeSchema, score, what);
  return score;
}

/**
 * Values oriented so that higher = more likely `positive`.
 * Errors and OOD are "uncertain" positives, successes and in-distribution "confident" positives;
 * a score pointing the other way is negated (ranking is all that metrics use, so negation is exact).
 * Always returns a fresh Float64Array.
 */
export function orientScore(score: Score, positive: PositiveClass): Float64Array {
  checkScore(score);
  parseOrThrow(positiveClassSchema, positive, 'positive');
  const out = Float64Array.from(score.values);
  if (score.direction !== POSITIVE_CLASSES[positive].higherMeans) {
    for (let i = 0; i < out.length; i++) out[i] = -out[i];
  }
  return out;
}

/** The same score pointing "higher = more uncertain" (negated if it was a confidence). */
export function asUncertainty(score: Score): Score {
  return { name: score.name, values: orientScore(score, 'error'), direction: 'higher-is-more-uncertain' };
}

/** The same score pointing "higher = more confident" (negated if it was an uncertainty). */
export function asConfidence(score: Score): Score {
  return { name: score.name, values: orientScore(score, 'success'), direction: 'higher-is-more-confident' };
}

/** Failure-prediction labels: 1 = error (predicted ≠ truth), 0 = success. */
export function failureLabels(predicted: ArrayLike<number>, truth: ArrayLike<number>): Uint8Array {
  if (predicted.length !== truth.length) {
    throw new Error(`failureLabels: predicted has ${predicted.length} entries but truth has ${truth.length}`);
  }
  const out = new Uint8Array(predicted.length);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isInteger(predicted[i])) throw new Error(`failureLabels: predicted[${i}] = ${predicted[i]} is not an integer class`);
    if (!Number.isInteger(truth[i])) throw new Error(`failureLabels: truth[${i}] = ${truth[i]} is not an integer class`);
    out[i] = predicted[i] === truth[i] ? 0 : 1;
  }
  return out;
}

/** OOD-detection labels for scores laid out in-distribution first: nIn zeros then nOut ones (1 = OOD). */
export function oodLabels(nIn: number, nOut: number): Uint8Array {
  if (!Number.isInteger(nIn) || nIn < 0) throw new Error(`oodLabels: nIn must be a non-negative integer, got ${nIn}`);
  if (!Number.isInteger(nOut) || nOut < 0) throw new Error(`oodLabels: nOut must be a non-negative integer, got ${nOut}`);
  const out = new Uint8Array(nIn + nOut);
  out.fill(1, nIn);
  return out;
}

/** What one reported metric counts as positive, and which way is better. */
export interface MetricConvention {
  /** Table header, e.g. 'FPR@95%TPR (errors +)'. */
  label: string;
  /** The positive class, or null for AURC, which has none (its risk is the error rate of accepted images). */
  positive: PositiveClass | null;
  higherIsBetter: boolean;
  /** One sentence for reports. */
  description: string;
}

/**
 * Every failure-prediction (II) and OOD-detection (III) metric with its positive class. FPR@95%TPR
 * comes in two conventions: rdl's (errors / OOD positive, FPR = share of successes / MNIST
 * flagged) and the authors' (ConfidNet, ODIN: successes / in-distribution positive, FPR = share of
 * errors / OOD images accepted).
 */
export const METRIC_CONVENTIONS = Object.freeze({
  auprError: { label: 'AUPR-Error', positive: 'error', higherIsBetter: true, description: 'average precision, errors positive' },
  auprSuccess: { label: 'AUPR-Success', positive: 'success', higherIsBetter: true, description: 'average precision, successes positive' },
  aurocError: { label: 'AUROC', positive: 'error', higherIsBetter: true, description: 'ROC AUC (the same with either class positive)' },
  fpr95Error: {
    label: 'FPR@95%TPR (errors +)',
    positive: 'error',
    higherIsBetter: false,
    description: 'share of successes flagged when 95% of the errors are caught (rdl convention)',
  },
  fpr95Success: {
    label: 'FPR@95%TPR (successes +)',
    positive: 'success',
    higherIsBetter: false,
    description: "share of errors accepted when 95% of the successes are accepted (ConfidNet authors' convention)",
  },
  aurc: {
    label: 'AURC',
    positive: null,
    higherIsBetter: false,
    description: 'mean error rate of the accepted images over all coverages, most confident accepted first',
  },
  auprIn: {
    label: 'AUPR-In',
    positive: 'in-distribution',
    higherIsBetter: true,
    description: 'average precision, in-distribution positive',
  },
  auprOut: { label: 'AUPR-Out', positive: 'ood', higherIsBetter: true, description: 'average precision, OOD positive' },
  aurocOod: { label: 'AUROC', positive: 'ood', higherIsBetter: true, description: 'ROC AUC (the same with either class positive)' },
  fpr95Ood: {
    label: 'FPR@95%TPR (OOD +)',
    positive: 'ood',
    higherIsBetter: false,
    description: 'share of in-distribution images flagged when 95% of the OOD images are caught (rdl convention)',
  },
  fpr95In: {
    label: 'FPR@95%TPR (in-dist. +)',
    positive: 'in-distribution',
    higherIsBetter: false,
    description: "share of OOD images accepted when 95% of the in-distribution images are accepted (ODIN authors' convention)",
  },
} as const satisfies Record<string, MetricConvention>);
export type MetricKey = keyof typeof METRIC_CONVENTIONS;
