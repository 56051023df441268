import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FASHION_PIXELS, parseClassFile } from './fashion-json.js';
import type { ImageSet } from './image-set.js';
import { packageDir } from './package-dir.js';

/** Standard Fashion-MNIST label order; the package's files are named by label (`0.json` … `9.json`). */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export interface DroppedRow {
  /** Path of the class file. */
  file: string;
  /** Index of the row in that file's `data` array. */
  index: number;
  reason: string;
}

export interface FashionMnistLoad {
  set: ImageSet;
  /** Malformed rows left out (the package's class-0 file holds 2 empty ones). */
  dropped: DroppedRow[];
}

/**
 * Fashion-MNIST from the `fashion-mnist` package (one JSON file per class, train and test
 * merged, ≈ 7,000 images each). Every row is checked (exactly 784 integers 0–255); malformed
 * rows are dropped and reported. Images come in file order: all of class 0, then class 1, …
 * `dir` overrides the folder holding `0.json` … `9.json` (tests use small fixtures).
 */
export async function loadFashionMnist(options: { dir?: string } = {}): Promise<FashionMnistLoad> {
  const dir = options.dir ?? join(packageDir('fashion-mnist'), 'src', 'clothes');
  const parts: Uint8Array[] = [];
  const perClass: number[] = [];
  const dropped: DroppedRow[] = [];
  let count = 0;
  const files = FASHION_MNIST_CLASSES.map((_, label) => join(dir, `${label}.json`));
  // Parse one file while the next is read: overlaps I/O with parsing, and peak memory stays
  // near two files' text plus the pixels.
  let next = readClassFile(files[0]);
  for (let label = 0; label < files.length; label++) {
    const file = files[label];
    const bytes = await next;
    if (label + 1 < files.length) next = readClassFile(files[label + 1]);
    const rows = parseClassFile(bytes, file);
    parts.push(rows.pixels);
    perClass.push(rows.count);
    for (const d of rows.dropped) dropped.push({ file, ...d });
    count += rows.count;
  }
  const pixels = new Uint8Array(count * FASHION_PIXELS);
  const labelArray = new Uint8Array(count);
  let offset = 0;
  parts.forEach((part, label) => {
    pixels.set(part, offset * FASHION_PIXELS);
    labelArray.fill(label, offset, offset + perClass[label]);
    offset += perClass[label];
  });
  return { set: { name: 'fashion-mnist', pixels, labels: labelArray, count, height: 28, width: 28 }, dropped };
}

async function readClassFile(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`no such file: ${file}`, { cause: error });
    throw new Error(`${file}: cannot read: ${(error as Error).message}`, { cause: error });
  }
}
