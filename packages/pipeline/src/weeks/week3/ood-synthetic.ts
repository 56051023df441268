import { deriveSeed } from '@rdl/core';
import { imageSetFromTable, imageSetToTable, sampleIndices, subset } from '@rdl/data';
import { syntheticOod } from '@rdl/uncertainty/pure';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { mnist } from './mnist.js';

const summarySchema = z.object({
  /** In-distribution tuning images (MNIST validation) and synthetic OOD images. */
  tuneIn: z.number().int(),
  tuneOut: z.number().int(),
  noise: z.number().int(),
  permuted: z.number().int(),
  source: z.string(),
});
export type OodSyntheticSummary = z.infer<typeof summarySchema>;

/**
 * ODIN tuning data without any real OOD image: MNIST validation digits as the in-distribution
 * side, and uniform noise plus pixel-permuted digits (made from OTHER validation digits) as the
 * OOD side. Nothing here comes from the OOD test distribution.
 */
export const oodSynthetic = defineStage({
  name: 'ood-synthetic',
  description:
    'Week 3 III: OOD-free ODIN tuning data from MNIST validation only: in-distribution digits vs uniform noise and pixel-permuted digits (seeded)',
  module: import.meta.url,
  config: z.strictObject({
    /** Images on each side (capped at half the validation split, so the two sides never share a digit). */
    count: z.number().int().min(2).default(1000),
    /** Share of the synthetic OOD images that are uniform noise; the rest are permuted digits. */
    noiseShare: z.number().min(0).max(1).default(0.5),
  }),
  needs: { mnist },
  outputs: { tuneIn: artifact.table(), tuneOut: artifact.table(), summary: artifact.json(summarySchema) },
  async run({ config, seed, inputs, log }) {
    const validation = imageSetFromTable(inputs.mnist.validation, 'mnist validation');
    const perSide = Math.min(config.count, Math.floor(validation.count / 2));
    // Two seeded, disjoint draws: the in-distribution side, and the digits that get permuted.
    const inIndices = sampleIndices(validation.count, { count: perSide, seed: deriveSeed(seed, 'week3/ood-synthetic/tune-in') });
    const sourceIndices = sampleIndices(validation.count, {
      count: perSide,
      seed: deriveSeed(seed, 'week3/ood-synthetic/permuted'),
      exclude: inIndices,
    });
    const tuneIn = subset(validation, inIndices, 'mnist-validation-tune-in');
    const sources = subset(validation, sourceIndices, 'mnist-validation-permuted');
    const made = syntheticOod(sources.pixels, validation.height * validation.width, {
      count: perSide,
      noiseShare: config.noiseShare,
      seed: deriveSeed(seed, 'week3/ood-synthetic/images'),
    });
    const noise = made.kinds.filter((k) => k === 'noise').length;
    const tuneOut = {
      name: 'synthetic-ood',
      pixels: made.pixels,
      // Label 0 = noise, 1 = permuted digit: the kind, not a digit class.
      labels: Uint8Array.from(made.kinds, (k) => (k === 'noise' ? 0 : 1)),
      count: made.count,
      height: validation.height,
      width: validation.width,
    };
    log(`${perSide} MNIST validation digits vs ${noise} noise + ${perSide - noise} permuted-digit images`);
    const describe = (name: string) => ({
      name,
      params: { count: config.count, noiseShare: config.noiseShare },
      seed,
      source: 'mnist validation',
    });
    return {
      tuneIn: imageSetToTable(tuneIn, describe('ood-synthetic-tune-in')),
      tuneOut: imageSetToTable(tuneOut, describe('ood-synthetic-tune-out')),
      summary: { tuneIn: tuneIn.count, tuneOut: tuneOut.count, noise, permuted: perSide - noise, source: 'MNIST validation split only' },
    };
  },
});
