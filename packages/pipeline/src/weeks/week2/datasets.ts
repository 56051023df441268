import { deriveSeed } from '@rdl/core';
import { blobsParamsSchema, blobsTable, moonsParamsSchema, moonsTable } from '@rdl/data';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { gridSpecSchema } from './grid.js';

/** The data sets week 2 fits, by name; predictions and metrics refer to these names. */
export const DATASETS = ['blobs', 'moons', 'noisyMoons'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const datasets = defineStage({
  name: 'datasets',
  description: 'Week 2 data: two blobs (400 pts), two moons with noise 0.05 and 0.3 (1000 pts), and the evaluation grids',
  module: import.meta.url,
  config: z.object({
    blobs: blobsParamsSchema.prefault({}),
    moons: moonsParamsSchema.prefault({}),
    noisyMoonsNoise: z.number().min(0).default(0.3),
    grids: z
      .object({
        blobs: gridSpecSchema.prefault({ x0: [-8, 8], x1: [-8, 8], resolution: 81 }),
        moons: gridSpecSchema.prefault({ x0: [-3, 4], x1: [-2.5, 3], resolution: 81 }),
      })
      .prefault({}),
  }),
  needs: {},
  outputs: {
    blobs: artifact.table(),
    moons: artifact.table(),
    noisyMoons: artifact.table(),
    grids: artifact.json(z.object({ blobs: gridSpecSchema, moons: gridSpecSchema })),
  },
  // A generator's own `seed` is an offset on the pipeline seed.
  async run({ config, seed }) {
    return {
      blobs: blobsTable({ ...config.blobs, seed: deriveSeed(seed + config.blobs.seed, 'week2/datasets/blobs') }),
      moons: moonsTable({ ...config.moons, seed: deriveSeed(seed + config.moons.seed, 'week2/datasets/moons') }),
      noisyMoons: moonsTable({
        ...config.moons,
        noise: config.noisyMoonsNoise,
        seed: deriveSeed(seed + config.moons.seed, 'week2/datasets/noisy-moons'),
      }),
      grids: config.grids,
    };
  },
});
