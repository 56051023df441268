import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readIdx, readIdxFile } from '../../src/images/idx.js';
import { idx } from './idx-bytes.js';

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
    expect(() => readIdx(idx([2, 3, 4], values).subarray(0, 10), 'h')).toThrow(
      /h: truncated IDX header: 3 dimensions need 16 bytes, got 10/,
    );
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
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a missing file says so', async () => {
    await expect(readIdxFile(join(dir, 'nope'))).rejects.toThrow(`no such file: ${join(dir, 'nope')}`);
  });
});
