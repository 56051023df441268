import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { createRng, permutation } from '@rdl/core';
import { classificationTable, type ClassificationData } from './classification-table.js';
import { parseGeneratorParams, generatorSeedSchema } from './params.js';

/**
 * Isotropic Gaussian blobs, one per centre, label = centre index. Classes are balanced
 * (counts differ by at most one) and the rows are shuffled.
 */
export const blobsParamsSchema = z
  .object({
    n: z.number().int().min(1).default(400),
    centres: z
      .array(z.tuple([z.number(), z.number()]))
      .min(2)
      .max(256)
      .default([
        [-2, -2],
        [2, 2],
      ]),
    std: z.number().positive().default(0.8),
    seed: generatorSeedSchema,
  })
  .refine((p) => p.n >= p.centres.length, { message: 'must be at least the number of centres', path: ['n'] });
export type BlobsParams = z.output<typeof blobsParamsSchema>;
export type BlobsParamsInput = z.input<typeof blobsParamsSchema>;

export function blobsDataset(params: BlobsParamsInput = {}): ClassificationData {
  const p = parseGeneratorParams(blobsParamsSchema, params, 'blobsDataset');
  const rng = createRng(p.seed);
  const k = p.centres.length;
  const labels = new Uint8Array(p.n);
  for (let c = 0, row = 0; c < k; c++) {
    const count = Math.floor(p.n / k) + (c < p.n % k ? 1 : 0);
    labels.fill(c, row, row + count);
    row += count;
  }
  const order = permutation(p.n, rng.fork());
  const noise = rng.fork();
  const x = new Float32Array(2 * p.n);
  const y = new Uint8Array(p.n);
  for (let i = 0; i < p.n; i++) {
    const label = labels[order[i]];
    const [cx, cy] = p.centres[label];
    y[i] = label;
    x[2 * i] = noise.normal(cx, p.std);
    x[2 * i + 1] = noise.normal(cy, p.std);
  }
  return { x, y, n: p.n };
}

export function blobsTable(params: BlobsParamsInput = {}): Table {
  const p = parseGeneratorParams(blobsParamsSchema, params, 'blobsTable');
  return classificationTable(blobsDataset(p), { name: 'blobs', params: p, seed: p.seed });
}
