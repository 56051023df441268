import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadIdxImageSet, loadMnist } from '../../src/images/idx-loader.js';
import { labelCounts } from '../../src/images/image-set.js';
import { idx } from './idx-bytes.js';

test('the real MNIST test set: 10,000 28×28 images with a sane label histogram', async () => {
  const set = await loadMnist('test');
  expect(set).toMatchObject({ name: 'mnist-test', count: 10_000, height: 28, width: 28 });
  expect(set.pixels.length).toBe(10_000 * 784);
  const counts = labelCounts(set);
  expect(counts).toHaveLength(10);
  // Known MNIST test histogram.
  expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  // Digits are dark background with bright strokes: mostly zeros, some saturated pixels.
  let zeros = 0;
  let bright = 0;
  for (const v of set.pixels) {
    if (v === 0) zeros++;
    else if (v > 250) bright++;
  }
  expect(zeros / set.pixels.length).toBeGreaterThan(0.7);
  expect(bright).toBeGreaterThan(0);
});

test('loadMnist rejects an unknown split and a folder without the files', async () => {
  await expect(loadMnist('val' as 'test')).rejects.toThrow(/split must be 'train' or 'test'/);
  await expect(loadMnist('test', { dir: '/nonexistent-rdl' })).rejects.toThrow('no such file: /nonexistent-rdl/t10k-');
});

test('with both files missing, the images file is the one named, every time (the two reads race)', async () => {
  for (let i = 0; i < 20; i++) {
    await expect(loadMnist('test', { dir: '/nonexistent-rdl' })).rejects.toThrow('no such file: /nonexistent-rdl/t10k-images-idx3-ubyte');
  }
});

describe('files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdl-idx-'));
    const pixels = Uint8Array.from({ length: 3 * 28 * 28 }, (_, i) => i % 251);
    await writeFile(join(dir, 'images'), idx([3, 28, 28], pixels));
    await writeFile(join(dir, 'images.gz'), gzipSync(idx([3, 28, 28], pixels)));
    await writeFile(join(dir, 'labels'), idx([3], [7, 0, 9]));
    await writeFile(join(dir, 'labels4'), idx([4], [7, 0, 9, 1]));
    await writeFile(join(dir, 'labels-bad'), idx([3], [7, 10, 9]));
    await writeFile(join(dir, 'images-32'), idx([1, 32, 32], new Uint8Array(1024)));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('loadIdxImageSet loads any IDX pair by path, gzip or raw', async () => {
    for (const images of ['images', 'images.gz']) {
      const set = await loadIdxImageSet({ imagesPath: join(dir, images), labelsPath: join(dir, 'labels'), name: 'kmnist-like' });
      expect(set).toMatchObject({ name: 'kmnist-like', count: 3, height: 28, width: 28 });
      expect(Array.from(set.labels)).toEqual([7, 0, 9]);
      expect(set.pixels[785]).toBe(785 % 251);
    }
  });

  test('loadIdxImageSet checks counts, image size and labels', async () => {
    const load = (imagesName: string, labelsName: string) =>
      loadIdxImageSet({ imagesPath: join(dir, imagesName), labelsPath: join(dir, labelsName), name: 'x' });
    await expect(load('images', 'labels4')).rejects.toThrow(/holds 3 images but .*labels4 holds 4 labels/);
    await expect(load('images', 'labels-bad')).rejects.toThrow(/labels-bad: label 10 at index 1 is not below 10 classes/);
    await expect(load('images-32', 'labels')).rejects.toThrow(/images-32: expected 28×28 images, got 32×32/);
    await expect(load('labels', 'labels')).rejects.toThrow(/expected 3 dimensions/);
    await expect(loadIdxImageSet({ imagesPath: '', labelsPath: 'x', name: 'x' })).rejects.toThrow(/loadIdxImageSet: imagesPath/);
  });
});
