import { deriveSeed } from '@rdl/core';
import { lineParamsSchema, lineTable, sinusoidParamsSchema, sinusoidTable, twoCloudsParamsSchema, twoCloudsTable } from '@rdl/data';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';

export const datasets = defineStage({
  name: 'datasets',
  description: 'Week 1 data: the noisy line, the two clouds with a hole, the sinusoid (seeded).',
  module: import.meta.url,
  config: z.strictObject({
    line: lineParamsSchema.prefault({}),
    twoClouds: twoCloudsParamsSchema.prefault({}),
    sinusoid: sinusoidParamsSchema.prefault({}),
  }),
  needs: {},
  outputs: { line: artifact.table(), twoClouds: artifact.table(), sinusoid: artifact.table() },
  // A generator's own `seed` field is an offset on the pipeline seed, so one knob reseeds everything.
  async run({ config, seed }) {
    return {
      line: lineTable({ ...config.line, seed: deriveSeed(seed + config.line.seed, 'week1/datasets/line') }),
      twoClouds: twoCloudsTable({ ...config.twoClouds, seed: deriveSeed(seed + config.twoClouds.seed, 'week1/datasets/two-clouds') }),
      sinusoid: sinusoidTable({ ...config.sinusoid, seed: deriveSeed(seed + config.sinusoid.seed, 'week1/datasets/sinusoid') }),
    };
  },
});
