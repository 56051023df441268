import { deriveSeed } from '@rdl/core';
import { resolve } from 'node:path';
import { imageSetToTable, loadFashionMnist, loadIdxImageSet, splitOodSample, type ImageSet } from '@rdl/data';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';

const sourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fashion-mnist') }),
  z.strictObject({
    kind: z.literal('idx'),
    /** IDX images file (raw or gzip), relative to the workspace root or absolute. */
    imagesPath: z.string().min(1),
    labelsPath: z.string().min(1),
    name: z.string().min(1),
  }),
]);

const summarySchema = z.object({
  name: z.string(),
  source: z.string(),
  loaded: z.number().int(),
  dropped: z.number().int(),
  droppedRows: z.array(z.object({ file: z.string(), index: z.number().int(), reason: z.string() })),
  test: z.number().int(),
  tune: z.number().int(),
});
export type OodSummary = z.infer<typeof summarySchema>;

export const oodData = defineStage({
  name: 'ood-data',
  description:
    'Week 3 out-of-distribution images: Fashion-MNIST (default) or any IDX set by path; a seeded test sample and a disjoint ODIN-tuning sample',
  module: import.meta.url,
  config: z.strictObject({
    source: sourceSchema.prefault({ kind: 'fashion-mnist' }),
    /** The size of the MNIST test set, so in- and out-of-distribution weigh the same. */
    testCount: z.number().int().min(1).default(10000),
    /** Held out for ODIN's (T, ε) search, never evaluated on. */
    tuneCount: z.number().int().min(1).default(1000),
  }),
  needs: {},
  outputs: { test: artifact.table(), tune: artifact.table(), summary: artifact.json(summarySchema) },
  async run({ config, seed, log }) {
    let set: ImageSet;
    let droppedRows: OodSummary['droppedRows'] = [];
    let source: string;
    if (config.source.kind === 'fashion-mnist') {
      const loaded = await loadFashionMnist();
      set = loaded.set;
      // Name files from the package folder on, so results do not depend on where it is installed.
      droppedRows = loaded.dropped.map((d) => ({ ...d, file: d.file.slice(d.file.lastIndexOf('fashion-mnist/')) }));
      source = 'fashion-mnist package (JSON, train and test merged)';
    } else {
      // Relative paths are taken from the workspace root, where Nx runs every stage.
      const imagesPath = resolve(config.source.imagesPath);
      const labelsPath = resolve(config.source.labelsPath);
      try {
        set = await loadIdxImageSet({ imagesPath, labelsPath, name: config.source.name });
      } catch (error) {
        const message = (error as Error).message;
        const named = message.includes(imagesPath) || message.includes(labelsPath) ? message : `${imagesPath} / ${labelsPath}: ${message}`;
        throw new Error(`stages.ood-data.source (${config.source.name}): ${named}`, { cause: error });
      }
      source = `IDX: ${imagesPath}, ${labelsPath}`;
    }
    if (droppedRows.length > 0)
      log(`dropped ${droppedRows.length} malformed rows: ${droppedRows.map((d) => `${d.file}#${d.index} (${d.reason})`).join('; ')}`);
    const split = splitOodSample(set, {
      testCount: config.testCount,
      tuneCount: config.tuneCount,
      seed: deriveSeed(seed, 'week3/ood-data/split'),
    });
    log(`${set.name}: ${set.count} images, test ${split.test.count}, tune ${split.tune.count}`);
    const describe = (part: string) => ({
      name: `${set.name}-${part}`,
      params: { testCount: config.testCount, tuneCount: config.tuneCount },
      seed,
      source,
    });
    return {
      test: imageSetToTable({ ...split.test, name: `${set.name}-test` }, describe('test')),
      tune: imageSetToTable({ ...split.tune, name: `${set.name}-tune` }, describe('tune')),
      summary: {
        name: set.name,
        source,
        loaded: set.count,
        dropped: droppedRows.length,
        droppedRows,
        test: split.test.count,
        tune: split.tune.count,
      },
    };
  },
});
