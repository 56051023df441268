import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { createRng, permutation } from '@rdl/core';
import { classificationTable, type ClassificationData } from './classification-table.js';
import { linspace } from './linspace.js';
import { parseGeneratorParams, generatorSeedSchema } from './params.js';

/**
 * Two interleaving half circles, sklearn's make_moons geometry: label 0 on the outer arc
 * (cos t, sin t), label 1 on the inner arc (1 − cos t, 1 − sin t − 0.5), t = linspace(0, π)
 * (⌊n/2⌋ outer points, the rest inner), plus N(0, noise²) on each coordinate; rows shuffled.
 */
export const moonsParamsSchema = z.object({
  n: z.number().int().min(2).default(1000),
  noise: z.number().min(0).default(0.05),
  seed: generatorSeedSchema,
});
export type MoonsParams = z.output<typeof moonsParamsSchema>;
export type MoonsParamsInput = z.input<typeof moonsParamsSchema>;

export function moonsDataset(params: MoonsParamsInput = {}): ClassificationData {
  const p = parseGeneratorParams(moonsParamsSchema, params, 'moonsDataset');
  const rng = createRng(p.seed);
  const nOuter = Math.floor(p.n / 2);
  const nInner = p.n - nOuter;
  const clean = new Float64Array(2 * p.n);
  const labels = new Uint8Array(p.n);
  linspace(0, Math.PI, nOuter).forEach((t, i) => {
    clean[2 * i] = Math.cos(t);
    clean[2 * i + 1] = Math.sin(t);
  });
  linspace(0, Math.PI, nInner).forEach((t, j) => {
    const i = nOuter + j;
    clean[2 * i] = 1 - Math.cos(t);
    clean[2 * i + 1] = 1 - Math.sin(t) - 0.5;
    labels[i] = 1;
  });
  const order = permutation(p.n, rng.fork());
  const noise = rng.fork();
  const x = new Float32Array(2 * p.n);
  const y = new Uint8Array(p.n);
  for (let i = 0; i < p.n; i++) {
    const src = order[i];
    y[i] = labels[src];
    x[2 * i] = clean[2 * src] + noise.normal(0, p.noise);
    x[2 * i + 1] = clean[2 * src + 1] + noise.normal(0, p.noise);
  }
  return { x, y, n: p.n };
}

export function moonsTable(params: MoonsParamsInput = {}): Table {
  const p = parseGeneratorParams(moonsParamsSchema, params, 'moonsTable');
  return classificationTable(moonsDataset(p), { name: 'moons', params: p, seed: p.seed });
}
