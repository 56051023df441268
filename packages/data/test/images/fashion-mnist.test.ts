import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadFashionMnist } from '../../src/images/fashion-mnist.js';
import { labelCounts } from '../../src/images/image-set.js';

const row = (seed: number): number[] => Array.from({ length: 784 }, (_, i) => (i * 7 + seed * 13) % 256);

describe('Fashion-MNIST class files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdl-fmnist-'));
    for (let label = 0; label < 10; label++) {
      const rows: unknown[] = [row(label * 10), row(label * 10 + 1)];
      // Class 0 mimics the package: empty entries in the middle and at the end.
      if (label === 0) {
        rows.splice(1, 0, []);
        rows.push([]);
      }
      if (label === 3) rows.push(row(99).slice(0, 783)); // short row
      if (label === 5) rows.push([...row(98).slice(0, 10), 256, ...row(98).slice(11)]); // out of range
      await writeFile(join(dir, `${label}.json`), JSON.stringify({ data: rows }));
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('malformed rows are dropped and reported, valid ones kept with their class', async () => {
    const { set, dropped } = await loadFashionMnist({ dir });
    expect(set).toMatchObject({ name: 'fashion-mnist', count: 20, height: 28, width: 28 });
    expect(dropped).toEqual([
      { file: join(dir, '0.json'), index: 1, reason: 'empty row' },
      { file: join(dir, '0.json'), index: 3, reason: 'empty row' },
      { file: join(dir, '3.json'), index: 2, reason: '783 values, expected 784' },
      { file: join(dir, '5.json'), index: 2, reason: 'value 256 at position 10 is not an integer 0–255' },
    ]);
    expect(labelCounts(set)).toEqual(new Array(10).fill(2));
    expect(Array.from(set.labels.subarray(0, 4))).toEqual([0, 0, 1, 1]);
    // Image 1 is class 0's third entry (the empty one between is gone); image 6 is class 3's first.
    expect(Array.from(set.pixels.subarray(784, 2 * 784))).toEqual(row(1));
    expect(Array.from(set.pixels.subarray(6 * 784, 7 * 784))).toEqual(row(30));
  });

  test('a missing class file is named', async () => {
    await expect(loadFashionMnist({ dir: join(dir, 'nope') })).rejects.toThrow(`no such file: ${join(dir, 'nope', '0.json')}`);
  });
});
