import { summarizeSeeds, type PairSpec, type SeedValue } from '@rdl/eval';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import type { AnyStage, InputsOf } from '../../core/stage.js';
import { defineStudyStage } from '../../core/study.js';

const quantitySchema = z.object({ method: z.string(), metric: z.string() });
const statsShape = {
  n: z.number().int(),
  mean: z.number(),
  sd: z.number().nullable(),
  min: z.number(),
  max: z.number(),
  values: z.array(z.object({ seed: z.number().int(), value: z.number() })),
};

/** What a study's aggregate writes: every seed's numbers, and their summary (see summarizeSeeds). */
export const studySummarySchema = z.object({
  seeds: z.array(z.number().int()),
  /** The week's own seed: its numbers are those of `pipeline:<week>`. */
  weekSeed: z.number().int(),
  values: z.array(z.object({ seed: z.number().int(), method: z.string(), metric: z.string(), value: z.number() })),
  summaries: z.array(quantitySchema.extend(statsShape)),
  differences: z.array(
    z.object({
      a: quantitySchema,
      b: quantitySchema,
      better: z.enum(['higher', 'lower']),
      seedsSupporting: z.number().int(),
      ...statsShape,
    }),
  ),
});
export type StudySummary = z.infer<typeof studySummarySchema>;

/**
 * The aggregate stage of a study: reads the `perSeed` outputs of every seed, extracts the numbers
 * (`extract`, the week's study-metrics module) and summarises them. Pure wiring: the arithmetic
 * is @rdl/eval's summarizeSeeds.
 */
export function studyAggregateStage<P extends Record<string, AnyStage>>(options: {
  module: string;
  description: string;
  perSeed: P;
  extract: (inputs: InputsOf<P>) => Omit<SeedValue, 'seed'>[];
  pairs: (values: SeedValue[]) => PairSpec[];
}) {
  return defineStudyStage({
    name: 'aggregate',
    description: options.description,
    module: options.module,
    config: z.object({}),
    needs: {},
    perSeed: options.perSeed,
    outputs: { summary: artifact.json(studySummarySchema) },
    async run({ seeds, seed }) {
      const values = seeds.flatMap((run) => options.extract(run.inputs).map((v) => ({ ...v, seed: run.seed })));
      const summary = summarizeSeeds(values, options.pairs(values));
      return { summary: { ...summary, seeds: seeds.map((s) => s.seed), weekSeed: seed, values } };
    },
  });
}
