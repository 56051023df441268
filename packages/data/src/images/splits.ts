import { z } from 'zod';
import { createRng, permutation, parseOptions } from '@rdl/core';
import { subset, type ImageSet } from './image-set.js';

// Every split returns the chosen indices (ascending, into the input set) beside the images, so a
// stage can record exactly which images went where and exclude them later.

const seed = z.number().int();
const count = z.number().int().min(0);

export interface HoldoutSplit {
  train: ImageSet;
  holdout: ImageSet;
  trainIndices: Int32Array;
  holdoutIndices: Int32Array;
}

/** Seeded split into `holdout` images (e.g. 5,000 for validation) and the rest, disjoint. */
export function splitHoldout(set: ImageSet, options: { holdout: number; seed: number }): HoldoutSplit {
  const o = parseOptions(
    z.object({ holdout: count.max(set.count, `holdout cannot exceed the ${set.count} images`), seed }),
    options,
    'splitHoldout',
  );
  const order = permutation(set.count, createRng(o.seed));
  const holdoutIndices = sorted(order.subarray(0, o.holdout));
  const trainIndices = sorted(order.subarray(o.holdout));
  return {
    train: subset(set, trainIndices, `${set.name}:train`),
    holdout: subset(set, holdoutIndices, `${set.name}:holdout`),
    trainIndices,
    holdoutIndices,
  };
}

export interface SampleOptions {
  count: number;
  seed: number;
  /** Indices that must not be drawn (e.g. images used for tuning). */
  exclude?: Int32Array;
}

/** Seeded sample of `count` distinct indices in 0..total-1 avoiding `exclude`, ascending. */
export function sampleIndices(total: number, options: SampleOptions): Int32Array {
  const o = parseOptions(z.object({ count, seed, exclude: z.instanceof(Int32Array).optional() }), options, 'sampleImages');
  const excluded = new Uint8Array(total);
  for (const i of o.exclude ?? []) {
    if (i < 0 || i >= total) throw new Error(`sampleImages: exclude index ${i} is outside 0..${total - 1}`);
    excluded[i] = 1;
  }
  const pool = Int32Array.from({ length: total }, (_, i) => i).filter((i) => excluded[i] === 0);
  if (o.count > pool.length) {
    throw new Error(
      `sampleImages: count ${o.count} exceeds the ${pool.length} images available (${total} minus ${total - pool.length} excluded)`,
    );
  }
  const order = permutation(pool.length, createRng(o.seed));
  const chosen = new Int32Array(o.count);
  for (let k = 0; k < o.count; k++) chosen[k] = pool[order[k]];
  return sorted(chosen);
}

/** Seeded sample of `count` images, none of them at an `exclude`d index. */
export function sampleImages(set: ImageSet, options: SampleOptions): ImageSet {
  return subset(set, sampleIndices(set.count, options), `${set.name}:sample`);
}

export interface OodSplit {
  test: ImageSet;
  tune: ImageSet;
  testIndices: Int32Array;
  tuneIndices: Int32Array;
}

/**
 * The out-of-distribution sample: `testCount` images for evaluation (e.g. 10,000, the size of
 * the MNIST test set) and `tuneCount` disjoint ones for tuning ODIN, from one seeded shuffle.
 */
export function splitOodSample(set: ImageSet, options: { testCount: number; tuneCount: number; seed: number }): OodSplit {
  const o = parseOptions(z.object({ testCount: count, tuneCount: count, seed }), options, 'splitOodSample');
  if (o.testCount + o.tuneCount > set.count) {
    throw new Error(`splitOodSample: testCount + tuneCount = ${o.testCount + o.tuneCount} exceeds the ${set.count} images of ${set.name}`);
  }
  const order = permutation(set.count, createRng(o.seed));
  const testIndices = sorted(order.subarray(0, o.testCount));
  const tuneIndices = sorted(order.subarray(o.testCount, o.testCount + o.tuneCount));
  return {
    test: subset(set, testIndices, `${set.name}:ood-test`),
    tune: subset(set, tuneIndices, `${set.name}:ood-tune`),
    testIndices,
    tuneIndices,
  };
}

function sorted(indices: Int32Array): Int32Array {
  return Int32Array.from(indices).sort();
}
