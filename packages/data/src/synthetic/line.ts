import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { createRng } from '@rdl/core';
import { linspace } from './linspace.js';
import { testGridSchema, parseGeneratorParams, generatorSeedSchema } from './params.js';
import { regressionTable, type RegressionData } from './regression-table.js';
import { lineTargets } from './truth.js';

/** Week 1 line: y = w0 + w1·x + N(0, noiseStd²), x ~ U(xLow, xHigh); test grid noise-free. */
export const lineParamsSchema = z
  .object({
    n: z.number().int().min(0).default(25),
    xLow: z.number().default(0),
    xHigh: z.number().default(2),
    w0: z.number().default(-0.3),
    w1: z.number().default(0.5),
    noiseStd: z.number().min(0).default(0.2),
    test: testGridSchema.default({ low: -10, high: 10, n: 250 }),
    seed: generatorSeedSchema,
  })
  .refine((p) => p.xHigh > p.xLow, { message: 'must be greater than xLow', path: ['xHigh'] });
export type LineParams = z.output<typeof lineParamsSchema>;
export type LineParamsInput = z.input<typeof lineParamsSchema>;

export function lineDataset(params: LineParamsInput = {}): RegressionData {
  const p = parseGeneratorParams(lineParamsSchema, params, 'lineDataset');
  const rng = createRng(p.seed);
  const xRng = rng.fork();
  const noiseRng = rng.fork();
  const x = Float64Array.from({ length: p.n }, () => xRng.uniform(p.xLow, p.xHigh));
  const y = lineTargets(x, p.w0, p.w1).map((v) => v + noiseRng.normal(0, p.noiseStd));
  const xTest = linspace(p.test.low, p.test.high, p.test.n);
  return { x, y, xTest, yTest: lineTargets(xTest, p.w0, p.w1) };
}

/** `lineDataset` as an Arrow table (`x`, `y`, `split`) described as 'line' with all its parameters. */
export function lineTable(params: LineParamsInput = {}): Table {
  const p = parseGeneratorParams(lineParamsSchema, params, 'lineTable');
  return regressionTable(lineDataset(p), { name: 'line', params: p, seed: p.seed });
}
