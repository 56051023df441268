import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseClassFile, parseClassFileWithJson, scanClassFile } from '../src/images/fashion-json.js';
import { loadFashionMnist } from '../src/images/fashion-mnist.js';
import { labelCounts } from '../src/images/image-set.js';
import { loadMnist } from '../src/images/idx-loader.js';

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

  const encode = (text: string) => new TextEncoder().encode(text);

  test('the byte scanner and JSON.parse agree, whitespace included', () => {
    const text = ` {\n "data" : [ [${row(1).join(' , ')}] ,\n [ ], [${row(2).join(',')}], [1,2,3] ] }\n`;
    const fast = scanClassFile(encode(text));
    expect(fast).not.toBeNull();
    const slow = parseClassFileWithJson(encode(text), 'f');
    expect(fast?.count).toBe(2);
    expect(fast?.dropped).toEqual([{ index: 1, reason: 'empty row' }, { index: 3, reason: '3 values, expected 784' }]);
    expect(slow.dropped).toEqual(fast?.dropped);
    expect(Array.from(slow.pixels)).toEqual(Array.from(fast?.pixels ?? []));
    expect(Array.from(fast?.pixels ?? []).slice(784)).toEqual(row(2));
  });

  test('values the scanner does not handle fall back to JSON.parse and are dropped with a reason', () => {
    const cases: Array<[unknown, string]> = [
      [null, 'not an array (null)'],
      ['abc', 'not an array (string)'],
      [[...row(0).slice(0, 783), -1], 'value -1 at position 783 is not an integer 0–255'],
      [[1.5, ...row(0).slice(1)], 'value 1.5 at position 0 is not an integer 0–255'],
      [['7', ...row(0).slice(1)], 'value "7" at position 0 is not an integer 0–255'],
    ];
    for (const [bad, reason] of cases) {
      const bytes = encode(JSON.stringify({ data: [row(5), bad] }));
      expect(scanClassFile(bytes)).toBeNull();
      const out = parseClassFile(bytes, 'f.json');
      expect(out.count).toBe(1);
      expect(out.dropped).toEqual([{ index: 1, reason }]);
    }
  });

  test('a file that is not the expected JSON shape is an error naming it', () => {
    expect(() => parseClassFile(encode('{"data": [[1,2'), '3.json')).toThrow(/3\.json: not valid JSON/);
    expect(() => parseClassFile(encode('{"images": []}'), '4.json')).toThrow(/4\.json: expected an object with a "data" array/);
    expect(parseClassFile(encode('{"data": []}'), '5.json').count).toBe(0);
  });
});
