import { readDatasetDescription, regressionFromTable } from '@rdl/data';
import { createBasis, posteriorDensityGrid, sequentialPosteriors } from '@rdl/models';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { numericTable } from '../shared/columns.js';
import { datasets } from './datasets.js';

const rangeSchema = z.tuple([z.number(), z.number()]).refine(([a, b]) => b > a, 'must be [low, high] with low < high');

/** 1.1: the posterior over (w0, w1) after 0, 1, 2, 10 and 25 points of the line. */
export const posteriorSequence = defineStage({
  name: 'posterior-sequence',
  description: '1.1 — posterior density over (w0, w1) as data arrives, linear basis, α = 2, β = 12.5',
  module: import.meta.url,
  config: z.object({
    alpha: z.number().positive().default(2),
    beta: z.number().positive().default(12.5),
    counts: z.array(z.number().int().min(0)).min(1).default([0, 1, 2, 10, 25]),
    w0Range: rangeSchema.default([-1, 1]),
    w1Range: rangeSchema.default([-1, 1]),
    resolution: z.number().int().min(8).max(400).default(100),
  }),
  needs: { datasets },
  outputs: {
    densities: artifact.table(),
    summary: artifact.json(
      z.object({
        truth: z.object({ w0: z.number(), w1: z.number() }),
        resolution: z.number(),
        w0Range: z.tuple([z.number(), z.number()]),
        w1Range: z.tuple([z.number(), z.number()]),
        posteriors: z.array(z.object({ n: z.number(), mean: z.array(z.number()), covariance: z.array(z.number()) })),
      }),
    ),
  },
  async run({ config, inputs }) {
    const data = regressionFromTable(inputs.datasets.line);
    const available = data.x.length;
    const tooMany = config.counts.find((c) => c > available);
    if (tooMany !== undefined) throw new Error(`stages.posterior-sequence.counts: ${tooMany} exceeds the ${available} training points`);
    const params = readDatasetDescription(inputs.datasets.line).params;
    const sequence = sequentialPosteriors(
      data.x,
      data.y,
      createBasis({ kind: 'linear' }),
      { alpha: config.alpha, beta: config.beta },
      config.counts,
    );
    const columns: Record<string, Float64Array> = {};
    for (const { count, posterior } of sequence) {
      columns[`n${count}`] = posteriorDensityGrid(posterior, {
        w0: config.w0Range,
        w1: config.w1Range,
        resolution: config.resolution,
      }).density;
    }
    return {
      densities: numericTable(columns),
      summary: {
        truth: { w0: Number(params.w0), w1: Number(params.w1) },
        resolution: config.resolution,
        w0Range: config.w0Range,
        w1Range: config.w1Range,
        posteriors: sequence.map(({ count, posterior }) => ({
          n: count,
          mean: [...posterior.mean],
          covariance: [...posterior.covariance],
        })),
      },
    };
  },
});
