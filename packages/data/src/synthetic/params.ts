import { parseOptions } from '@rdl/core';
import { z } from 'zod';

/**
 * Validates generator parameters against their schema (defaults filled in) and throws one
 * message naming the offending field, e.g. `lineDataset: xHigh: must be greater than xLow`.
 */
export function parseGeneratorParams<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  return parseOptions(schema, input ?? {}, what);
}

/** Seeds are integers so that they round-trip through JSON configs and Arrow metadata unchanged. */
export const generatorSeedSchema = z.number().int().default(0);

/** An evenly spaced test grid `linspace(low, high, n)`, the x* of the predictive figures. */
export const testGridSchema = z
  .object({
    low: z.number(),
    high: z.number(),
    n: z.number().int().min(1),
  })
  .refine((g) => g.high > g.low, { message: 'high must be greater than low', path: ['high'] });
export type TestGridParams = z.output<typeof testGridSchema>;
