import { z } from 'zod';

/** A percentile bootstrap interval as `bootstrapIntervals` (@rdl/eval) returns it. */
export const intervalSchema = z.object({
  low: z.number(),
  high: z.number(),
  level: z.number(),
  resamples: z.number().int(),
  skipped: z.number().int(),
});
export type IntervalJson = z.infer<typeof intervalSchema>;
