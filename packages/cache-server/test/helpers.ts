import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createCacheServer, parseTokens, type CacheServer, type CacheServerOptions } from '../src/index.js';

export const TOKENS = {
  instructor: 'instructor-rw-6f1c0e2a9b',
  student: 'student-ro-33a7d41c8e',
  studentWriter: 'student-rw-9d02b6e4f1',
  mainReader: 'main-ro-57c2e8a0d3',
} as const;

export const TOKENS_FILE = {
  tokens: [
    { token: TOKENS.instructor, access: 'read-write', scope: 'main' },
    { token: TOKENS.student, access: 'read', reads: ['main'] },
    { token: TOKENS.studentWriter, access: 'read-write', scope: 'student-a', reads: ['main'] },
    { token: TOKENS.mainReader, access: 'read', reads: ['main'] },
  ],
};

export interface TarEntry {
  name: string;
  data: Buffer | string;
  /** 'gnu' and 'ustar' as tar writers make them; 'v7' is what Nx writes for `terminalOutput` and `code`. */
  format?: 'gnu' | 'ustar' | 'v7';
  type?: string;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** One tar header block, with the checksum computed as tar does. */
export function tarHeader(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(entry.name, 0, 100, 'utf8');
  block.write(octal(0o644, 8), 100, 'latin1');
  block.write(octal(0, 8), 108, 'latin1');
  block.write(octal(0, 8), 116, 'latin1');
  block.write(octal(size, 12), 124, 'latin1');
  block.write(octal(0, 12), 136, 'latin1');
  block.write(entry.type ?? '0', 156, 'latin1');
  const format = entry.format ?? 'gnu';
  if (format === 'gnu') block.write('ustar  \0', 257, 'latin1');
  if (format === 'ustar') block.write('ustar\x0000', 257, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  block.write(octal(sum, 7) + ' ', 148, 'latin1');
  return block;
}

/** Recomputes a header's checksum after its bytes were changed. */
export function withChecksum(block: Buffer): Buffer {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  block.write(octal(sum, 7) + ' ', 148, 'latin1');
  return block;
}

/** A tar archive (end marker included), as bytes. */
export function makeTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data);
    parts.push(tarHeader(entry, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A body shaped like Nx's upload: outputs (GNU headers), then `terminalOutput` and `code` (v7 headers). */
export function nxEntry(label: string, extraBytes = 0): Buffer {
  const code = Buffer.alloc(4);
  return gzipSync(
    makeTar([
      { name: 'artifacts/week3/mnist/outputs/', data: '', type: '5' },
      { name: 'artifacts/week3/mnist/outputs/label.txt', data: label },
      ...(extraBytes ? [{ name: 'artifacts/week3/mnist/outputs/blob.bin', data: Buffer.alloc(extraBytes, label.length % 251) }] : []),
      { name: 'terminalOutput', data: `computed ${label}\n`, format: 'v7' as const },
      { name: 'code', data: code, format: 'v7' as const },
    ]),
  );
}

export interface TestServer {
  server: CacheServer;
  url: string;
  port: number;
  dir: string;
  lines: string[];
  close(): Promise<void>;
}

const tempDirs: string[] = [];

/** A temporary folder, removed by removeTempDirs() (call it in afterAll). */
export function tempDir(prefix = 'rdl-cache-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function startServer(options: Partial<CacheServerOptions> & { dir?: string } = {}): Promise<TestServer> {
  const dir = options.dir ?? tempDir();
  const lines: string[] = [];
  const server = createCacheServer({ tokens: parseTokens(JSON.stringify(TOKENS_FILE)), log: (line) => lines.push(line), ...options, dir });
  const url = await server.listen(0);
  return { server, url, port: Number(new URL(url).port), dir, lines, close: () => server.close() };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** An HTTP request with the path sent exactly as given (no URL normalisation, unlike fetch). */
export function raw(
  port: number,
  method: string,
  path: string,
  options: { token?: string; body?: Buffer; headers?: Record<string, string>; chunked?: boolean } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body) {
      headers['content-type'] ??= 'application/octet-stream';
      if (options.chunked) headers['transfer-encoding'] = 'chunked';
      else headers['content-length'] ??= String(options.body.length);
    }
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body && options.chunked) {
      for (let i = 0; i < options.body.length; i += 16 * 1024) req.write(options.body.subarray(i, i + 16 * 1024));
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

export const put = (t: TestServer, hash: string, body: Buffer, token: string = TOKENS.instructor) =>
  raw(t.port, 'PUT', `/v1/cache/${hash}`, { token, body });
export const get = (t: TestServer, hash: string, token: string = TOKENS.student) => raw(t.port, 'GET', `/v1/cache/${hash}`, { token });

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
