import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';

/** Why an upload is refused, with the HTTP status to answer. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

const BLOCK = 512;
const GZIP_MAGIC = [0x1f, 0x8b, 0x08]; // ID1, ID2, CM = deflate (RFC 1952)

/** Reads a tar numeric field: octal digits (NUL/space terminated) or GNU base-256. */
function numericField(block: Buffer, start: number, length: number): number | undefined {
  const field = block.subarray(start, start + length);
  if (field[0]! & 0x80) {
    let value = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    return Number.isSafeInteger(value) ? value : undefined;
  }
  const text = field
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '');
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

function cString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

/** Absolute, or with a `..` segment: an entry name that could land outside the folder it is unpacked in. */
export function isUnsafeEntryName(name: string): boolean {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\0')) return true;
  return name.split(/[/\\]/).some((segment) => segment === '..');
}

type Magic = 'ustar' | 'gnu' | 'v7';

/** The header's magic, or undefined when it is none of the three formats tar writers use. */
function headerMagic(block: Buffer): Magic | undefined {
  const magic = block.subarray(257, 265);
  if (magic.toString('latin1', 0, 6) === 'ustar\0') return 'ustar';
  if (magic.toString('latin1') === 'ustar  \0') return 'gnu';
  // Nx writes its `terminalOutput` and `code` entries with tar-rs's old (v7) header: no magic.
  if (magic.every((b) => b === 0)) return 'v7';
  return undefined;
}

/** The checksum rule of every tar format: the header's bytes summed with the checksum field read as spaces. */
function checksumMatches(block: Buffer): boolean {
  const stored = numericField(block, 148, 8);
  if (stored === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/**
 * Walks a tar stream block by block as it is inflated, keeping no more than one header and one
 * long name: every header must carry a valid checksum and a known magic, no entry name may be
 * absolute or climb out with `..`, and the archive must end with its end-of-archive zero block.
 */
class TarWalker {
  private header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  /** Bytes of entry data (padded to whole blocks) still to pass. */
  private skip = 0;
  /** Data of a GNU long-name (`L`) or pax (`x`) entry, captured to check the name it sets. */
  private capture: { kind: 'L' | 'x'; left: number; chunks: Buffer[] } | undefined;
  private pendingName: string | undefined;
  /** GNU sparse headers ('S') can be followed by extension blocks that their size does not count. */
  private sparseExtension = false;
  entries = 0;
  ended = false;
  unpackedBytes = 0;

  push(data: Buffer): void {
    this.unpackedBytes += data.length;
    let offset = 0;
    while (offset < data.length) {
      if (this.ended) {
        // After the end-of-archive block only zero padding may follow (GNU tar pads to records).
        for (let i = offset; i < data.length; i++) if (data[i] !== 0) throw new BodyError(400, 'data after the end of the tar archive');
        return;
      }
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length - offset);
        if (this.capture && this.capture.left > 0) {
          const take = Math.min(n, this.capture.left);
          this.capture.chunks.push(Buffer.from(data.subarray(offset, offset + take)));
          this.capture.left -= take;
        }
        this.skip -= n;
        offset += n;
        if (this.skip === 0 && this.capture) this.finishCapture();
        continue;
      }
      const n = Math.min(BLOCK - this.headerFill, data.length - offset);
      data.copy(this.header, this.headerFill, offset, offset + n);
      this.headerFill += n;
      offset += n;
      if (this.headerFill === BLOCK) {
        this.headerFill = 0;
        if (this.sparseExtension) this.onSparseExtension(this.header);
        else this.onHeader(this.header);
      }
    }
  }

  private onHeader(block: Buffer): void {
    if (block.every((b) => b === 0)) {
      if (this.entries === 0) throw new BodyError(400, 'not a tar archive: it starts with an empty block');
      this.ended = true;
      return;
    }
    const magic = headerMagic(block);
    if (!magic || !checksumMatches(block)) {
      throw new BodyError(
        400,
        this.entries === 0
          ? 'not a tar archive (no ustar header with a valid checksum)'
          : `damaged tar header after ${this.entries} entries`,
      );
    }
    const size = numericField(block, 124, 12);
    if (size === undefined) throw new BodyError(400, 'damaged tar header: bad size field');
    const type = String.fromCharCode(block[156]!);
    const prefix = magic === 'ustar' ? cString(block, 345, 155) : '';
    const name = this.pendingName ?? (prefix ? `${prefix}/${cString(block, 0, 100)}` : cString(block, 0, 100));
    this.pendingName = undefined;
    this.entries++;
    if (type === 'L' || type === 'x') {
      this.capture = { kind: type, left: Math.min(size, 64 * 1024), chunks: [] };
    } else if (type !== 'K' && type !== 'g' && isUnsafeEntryName(name)) {
      throw new BodyError(400, `unsafe entry name in the tar archive: ${JSON.stringify(name.slice(0, 200))}`);
    }
    this.skip = Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'S' && magic === 'gnu' && block[482] !== 0) {
      // The entry's data comes after its sparse-map extension blocks.
      this.sparseExtension = true;
      this.pendingSkip = this.skip;
      this.skip = 0;
      return;
    }
    if (this.skip === 0 && this.capture) this.finishCapture();
  }

  private pendingSkip = 0;

  private onSparseExtension(block: Buffer): void {
    // 21 sparse entries of 24 bytes, then the "is extended" flag at byte 504.
    if (block[504] === 0) {
      this.sparseExtension = false;
      this.skip = this.pendingSkip;
      this.pendingSkip = 0;
    }
  }

  private finishCapture(): void {
    const { kind, chunks } = this.capture!;
    this.capture = undefined;
    const text = Buffer.concat(chunks).toString('utf8');
    if (kind === 'L') {
      this.pendingName = text.replace(/\0+$/, '');
    } else {
      // pax records: "<length> <key>=<value>\n"
      for (const record of text.split('\n')) {
        const match = /^\d+ path=(.*)$/s.exec(record);
        if (match) this.pendingName = match[1];
      }
    }
  }

  finish(): void {
    if (this.entries === 0)
      throw new BodyError(400, this.headerFill > 0 ? 'not a tar archive: shorter than one 512-byte header' : 'not a tar archive: empty');
    if (!this.ended) throw new BodyError(400, 'the tar archive is cut short (no end-of-archive block)');
  }
}

export interface BodyCheckOptions {
  /** Most bytes the body may have, as sent (compressed). */
  maxBytes: number;
  /** Most bytes the body may inflate to (a guard against gzip bombs). */
  maxUnpackedBytes: number;
}

/**
 * A pass-through stream that refuses, as early as it can tell, a body that is not what Nx
 * uploads: gzip magic on the first bytes, a tar header with a valid checksum in the first
 * inflated block, then every header, a complete gzip stream (CRC and length) and a complete tar
 * archive at the end. It inflates alongside, respecting backpressure, and keeps no more than a
 * header block in memory; the bytes it passes on are the body as sent.
 */
export class BodyCheck extends Transform {
  private readonly gunzip: Gunzip;
  private readonly walker = new TarWalker();
  private readonly magic: number[] = [];
  private failure: Error | undefined;
  bytes = 0;

  constructor(private readonly options: BodyCheckOptions) {
    super();
    this.gunzip = createGunzip();
    this.gunzip.on('data', (data: Buffer) => {
      if (this.failure) return;
      try {
        this.walker.push(data);
        if (this.walker.unpackedBytes > this.options.maxUnpackedBytes)
          throw new BodyError(413, `the archive inflates to more than ${this.options.maxUnpackedBytes} bytes`);
      } catch (error) {
        this.fail(error as Error);
      }
    });
    this.gunzip.on('error', (error: Error) => this.fail(new BodyError(400, `not a complete gzip stream: ${error.message}`)));
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.gunzip.destroy();
    this.destroy(error);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.failure) return callback(this.failure);
    this.bytes += chunk.length;
    if (this.bytes > this.options.maxBytes)
      return callback(new BodyError(413, `the body is larger than the limit of ${this.options.maxBytes} bytes`));
    for (let i = 0; this.magic.length < GZIP_MAGIC.length && i < chunk.length; i++) {
      this.magic.push(chunk[i]!);
      if (chunk[i] !== GZIP_MAGIC[this.magic.length - 1]) return callback(new BodyError(400, 'not gzip: Nx uploads a gzip-compressed tar'));
    }
    if (this.gunzip.write(chunk)) return callback(null, chunk);
    const onDrain = () => {
      this.gunzip.off('error', onError);
      callback(this.failure ?? null, chunk);
    };
    const onError = () => {
      this.gunzip.off('drain', onDrain);
      callback(this.failure ?? new BodyError(400, 'not a complete gzip stream'));
    };
    this.gunzip.once('drain', onDrain);
    this.gunzip.once('error', onError);
  }

  override _flush(callback: TransformCallback): void {
    if (this.failure) return callback(this.failure);
    if (this.bytes === 0) return callback(new BodyError(400, 'empty body: Nx uploads a gzip-compressed tar'));
    const onEnd = () => {
      this.gunzip.off('error', onError);
      if (this.failure) return callback(this.failure);
      try {
        this.walker.finish();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    };
    const onError = () => {
      this.gunzip.off('end', onEnd);
      callback(this.failure ?? new BodyError(400, 'not a complete gzip stream'));
    };
    this.gunzip.once('end', onEnd);
    this.gunzip.once('error', onError);
    this.gunzip.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.gunzip.destroy();
    callback(error);
  }
}
