import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { createRng } from '@rdl/core';
import { linspace } from './linspace.js';
import { testGridSchema, parseGeneratorParams, generatorSeedSchema } from './params.js';
import { regressionTable, type RegressionData } from './regression-table.js';
import { sinusoidTargets } from './truth.js';

/** Questions 2.4/2.5: y = sin(2πx) + x + N(0, noiseStd²), x ~ U(xLow, xHigh); test grid noise-free. */
export const sinusoidParamsSchema = z
  .object({
    n: z.number().int().min(0).default(50),
    xLow: z.number().default(0),
    xHigh: z.number().default(1),
    noiseStd: z.number().min(0).default(0.2),
    test: testGridSchema.default({ low: -1, high: 2, n: 500 }),
    seed: generatorSeedSchema,
  })
  .refine((p) => p.xHigh > p.xLow, { message: 'must be greater than xLow', path: ['xHigh'] });
export type SinusoidParams = z.output<typeof sinusoidParamsSchema>;
export type SinusoidParamsInput = z.input<typeof sinusoidParamsSchema>;

export function sinusoidDataset(params: SinusoidParamsInput = {}): RegressionData {
  const p = parseGeneratorParams(sinusoidParamsSchema, params, 'sinusoidDataset');
  const rng = createRng(p.seed);
  const xRng = rng.fork();
  const noiseRng = rng.fork();
  const x = Float64Array.from({ length: p.n }, () => xRng.uniform(p.xLow, p.xHigh));
  const y = sinusoidTargets(x).map((v) => v + noiseRng.normal(0, p.noiseStd));
  const xTest = linspace(p.test.low, p.test.high, p.test.n);
  return { x, y, xTest, yTest: sinusoidTargets(xTest) };
}

export function sinusoidTable(params: SinusoidParamsInput = {}): Table {
  const p = parseGeneratorParams(sinusoidParamsSchema, params, 'sinusoidTable');
  return regressionTable(sinusoidDataset(p), { name: 'sinusoid', params: p, seed: p.seed });
}
