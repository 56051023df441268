import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readIdx, readIdxFile } from '../src/images/idx.js';
import { loadIdxImageSet } from '../src/images/idx-loader.js';

/** Builds IDX bytes: magic 00 00 <type> <rank>, big-endian dims, then the values. */
function idx(dims: number[], values: ArrayLike<number>, type = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  const view = new DataView(header.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.length + values.length);
  out.set(header);
  out.set(Uint8Array.from(values), header.length);
  return out;
}

const values = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 37) % 256);

describe('readIdx', () => {
  test('parses raw bytes into dims and a zero-copy view', () => {
    const bytes = idx([2, 3, 4], values);
    const out = readIdx(bytes, 'x.idx');
    expect(out.dims).toEqual([2, 3, 4]);
    expect(Array.from(out.data)).toEqual(Array.from(values));
    expect(out.data.buffer).toBe(bytes.buffer);
    expect(out.data.byteOffset).toBe(bytes.byteOffset + 16);
  });

  test('parses gzip bytes the same', () => {
    const out = readIdx(gzipSync(idx([2, 3, 4], values)), 'x.idx.gz');
    expect(out.dims).toEqual([2, 3, 4]);
    expect(Array.from(out.data)).toEqual(Array.from(values));
  });

  test('a labels file (rank 1) parses', () => {
    expect(readIdx(idx([5], [0, 1, 2, 3, 9]), 'l').dims).toEqual([5]);
  });

  test('bad magic is rejected, naming the source', () => {
    const bytes = idx([2, 3, 4], values);
    bytes[0] = 0x12;
    expect(() => readIdx(bytes, 'data/bad-images')).toThrow(/data\/bad-images: not an IDX file.*0x12/);
  });

  test('a type byte other than 0x08 is rejected', () => {
    expect(() => readIdx(idx([2, 3, 4], values, 0x0d), 'f.idx')).toThrow(/f\.idx: IDX type byte 0x0d \(float32\) is not supported/);
  });

  test('truncated data gives the expected and actual length', () => {
    const bytes = idx([10, 28, 28], new Uint8Array(10 * 784)).subarray(0, 5000);
    expect(() => readIdx(bytes, 't10k-images-idx3-ubyte')).toThrow('t10k-images-idx3-ubyte: expected 7856 bytes for 10×28×28, got 5000');
  });

  test('a truncated header is rejected', () => {
    expect(() => readIdx(idx([2, 3, 4], values).subarray(0, 10), 'h')).toThrow(/h: truncated IDX header: 3 dimensions need 16 bytes, got 10/);
    expect(() => readIdx(new Uint8Array([0, 0]), 'tiny')).toThrow(/tiny: not an IDX file/);
  });

  test('extra trailing bytes are rejected', () => {
    const bytes = new Uint8Array(idx([2, 3, 4], values).length + 3);
    bytes.set(idx([2, 3, 4], values));
    expect(() => readIdx(bytes, 'e')).toThrow('e: expected 40 bytes for 2×3×4, got 43');
  });

  test('dims that disagree with the data are rejected', () => {
    // Header claims 2×3×5 but carries 2×3×4 values.
    const bytes = idx([2, 3, 5], values);
    expect(() => readIdx(bytes, 'd')).toThrow('d: expected 46 bytes for 2×3×5, got 40');
  });

  test('corrupt gzip is rejected', () => {
    const gz = gzipSync(idx([2, 3, 4], values));
    expect(() => readIdx(gz.subarray(0, gz.length - 10), 'c.gz')).toThrow(/c\.gz: corrupt gzip data/);
  });
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

  test('a missing file says so', async () => {
    await expect(readIdxFile(join(dir, 'nope'))).rejects.toThrow(`no such file: ${join(dir, 'nope')}`);
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
