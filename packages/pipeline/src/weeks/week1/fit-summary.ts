import { z } from 'zod';

/** The numbers SPEC asks of a predictive fit, computed the same way for every question. */
export const fitSummarySchema = z.object({
  n: z.number().int(),
  alpha: z.number(),
  beta: z.number(),
  basis: z.string(),
  posteriorMean: z.array(z.number()),
  /** D×D, row-major. */
  posteriorCovariance: z.array(z.number()),
  barycentre: z.number(),
  argminVariance: z.number(),
  varianceAtArgmin: z.number(),
  varianceAtBarycentre: z.number(),
  ends: z.tuple([z.number(), z.number()]),
  varianceAtEnds: z.tuple([z.number(), z.number()]),
  epistemicAtEnds: z.tuple([z.number(), z.number()]),
  /** 1/β, the floor every predictive variance sits on. */
  aleatoric: z.number(),
  trainRange: z.array(z.tuple([z.number(), z.number()])),
  meanVarianceInside: z.number(),
  meanVarianceOutside: z.number(),
  minVariance: z.number(),
});
export type FitSummary = z.infer<typeof fitSummarySchema>;

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

export function inRanges(x: number, ranges: [number, number][]): boolean {
  return ranges.some(([lo, hi]) => x >= lo && x <= hi);
}

/** Means of `values` over the test points inside and outside the training ranges. */
export function insideOutsideMeans(xTest: Float64Array, values: Float64Array, ranges: [number, number][]): [number, number] {
  const inside: number[] = [];
  const outside: number[] = [];
  xTest.forEach((x, i) => (inRanges(x, ranges) ? inside : outside).push(values[i]!));
  return [inside.length ? mean(inside) : Number.NaN, outside.length ? mean(outside) : Number.NaN];
}
