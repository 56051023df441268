import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { createRng } from '@rdl/core';
import { linspace } from './linspace.js';
import { testGridSchema, parseGeneratorParams, generatorSeedSchema } from './params.js';
import { regressionTable, type RegressionData } from './regression-table.js';
import { lineTargets } from './truth.js';

const intervalSchema = z.tuple([z.number(), z.number()]).refine(([a, b]) => b > a, { message: 'interval [a, b] needs b > a' });

/**
 * The bonus "hole" set: the week-1 line sampled on two separate intervals, so the predictive
 * variance can be seen to grow in the gap between them. Left cloud rows first, then right.
 */
export const twoCloudsParamsSchema = z.object({
  nPerCloud: z.number().int().min(0).default(10),
  left: intervalSchema.default([-3, -1]),
  right: intervalSchema.default([1, 3]),
  w0: z.number().default(-0.3),
  w1: z.number().default(0.5),
  noiseStd: z.number().min(0).default(0.2),
  test: testGridSchema.default({ low: -12, high: 12, n: 100 }),
  seed: generatorSeedSchema,
});
export type TwoCloudsParams = z.output<typeof twoCloudsParamsSchema>;
export type TwoCloudsParamsInput = z.input<typeof twoCloudsParamsSchema>;

export function twoCloudsDataset(params: TwoCloudsParamsInput = {}): RegressionData {
  const p = parseGeneratorParams(twoCloudsParamsSchema, params, 'twoCloudsDataset');
  const rng = createRng(p.seed);
  const xRng = rng.fork();
  const noiseRng = rng.fork();
  const x = new Float64Array(2 * p.nPerCloud);
  for (let i = 0; i < p.nPerCloud; i++) x[i] = xRng.uniform(p.left[0], p.left[1]);
  for (let i = 0; i < p.nPerCloud; i++) x[p.nPerCloud + i] = xRng.uniform(p.right[0], p.right[1]);
  const y = lineTargets(x, p.w0, p.w1).map((v) => v + noiseRng.normal(0, p.noiseStd));
  const xTest = linspace(p.test.low, p.test.high, p.test.n);
  return { x, y, xTest, yTest: lineTargets(xTest, p.w0, p.w1) };
}

export function twoCloudsTable(params: TwoCloudsParamsInput = {}): Table {
  const p = parseGeneratorParams(twoCloudsParamsSchema, params, 'twoCloudsTable');
  return regressionTable(twoCloudsDataset(p), { name: 'twoClouds', params: p, seed: p.seed });
}
