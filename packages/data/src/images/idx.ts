import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/** An IDX array of unsigned bytes: `dims` (outermost first) and the row-major values. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

// IDX type byte → name, for the error message when a file holds something other than ubyte.
const IDX_TYPES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

/**
 * Parses an IDX file (raw, or gzip-compressed when it starts with 1f 8b). Only the unsigned-byte
 * type (0x08), which every MNIST-like set uses, is accepted. Magic, dimensions and exact length
 * are checked; `what` (usually the path) names the source in every error. `data` is a view
 * into `bytes` (or into the gunzipped buffer), not a copy.
 */
export function readIdx(bytes: Uint8Array, what: string): IdxArray {
  const raw = isGzip(bytes) ? gunzip(bytes, what) : bytes;
  if (raw.length < 4) throw new Error(`${what}: not an IDX file (${raw.length} bytes, shorter than the 4-byte magic number)`);
  if (raw[0] !== 0 || raw[1] !== 0) {
    throw new Error(`${what}: not an IDX file (magic number starts ${hex(raw[0])} ${hex(raw[1])}, expected 00 00)`);
  }
  const type = raw[2];
  if (type !== 0x08) {
    const name = IDX_TYPES[type] ?? 'unknown type';
    throw new Error(`${what}: IDX type byte ${hex(type)} (${name}) is not supported; expected 0x08 (unsigned byte)`);
  }
  const rank = raw[3];
  if (rank === 0) throw new Error(`${what}: IDX header declares 0 dimensions`);
  const headerLength = 4 + 4 * rank;
  if (raw.length < headerLength) {
    throw new Error(`${what}: truncated IDX header: ${rank} dimensions need ${headerLength} bytes, got ${raw.length}`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < rank; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    dims.push(n);
    size *= n;
  }
  const expected = headerLength + size;
  if (raw.length !== expected) {
    throw new Error(`${what}: expected ${expected} bytes for ${dims.join('×')}, got ${raw.length}`);
  }
  return { dims, data: raw.subarray(headerLength) };
}

/** Reads and parses an IDX file (raw or .gz); a missing file is "no such file: <path>". */
export async function readIdxFile(path: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`no such file: ${path}`, { cause: error });
    throw new Error(`${path}: cannot read: ${(error as Error).message}`, { cause: error });
  }
  return readIdx(bytes, path);
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gunzip(bytes: Uint8Array, what: string): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new Error(`${what}: corrupt gzip data: ${(error as Error).message}`, { cause: error });
  }
}

function hex(byte: number | undefined): string {
  return `0x${(byte ?? 0).toString(16).padStart(2, '0')}`;
}
