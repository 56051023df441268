import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  get,
  makeTar,
  nxEntry,
  put,
  raw,
  removeTempDirs,
  startServer,
  tarHeader,
  tempDir,
  TOKENS,
  until,
  withChecksum,
  type TestServer,
} from './helpers.js';

// Every test talks HTTP to a real server on an ephemeral port of 127.0.0.1.
let t: TestServer;
beforeAll(async () => {
  t = await startServer();
});
afterAll(async () => {
  await t?.close();
  removeTempDirs();
});

const scopeFiles = (scope: string) => (existsSync(join(t.dir, 'scopes', scope)) ? readdirSync(join(t.dir, 'scopes', scope)) : []);
const tmpFiles = () => readdirSync(join(t.dir, 'tmp'));
let next = 1000;
const freshHash = () => String(next++);

describe('tokens', () => {
  test('no token gets 401 text/plain (what Nx shows the user), on GET and PUT', async () => {
    for (const method of ['GET', 'PUT']) {
      const r = await raw(t.port, method, '/v1/cache/1', method === 'PUT' ? { body: nxEntry('x') } : {});
      expect(r.status).toBe(401);
      expect(r.headers['content-type']).toBe('text/plain');
      expect(r.body.toString()).toMatch(/missing access token/);
    }
  });

  test('a wrong token gets 401', async () => {
    expect((await raw(t.port, 'GET', '/v1/cache/1', { token: 'not-a-token-at-all-0000' })).status).toBe(401);
    expect((await put(t, '1', nxEntry('x'), 'not-a-token-at-all-0000')).status).toBe(401);
    // Same token with another scheme, or its prefix, is not the token.
    expect((await raw(t.port, 'GET', '/v1/cache/1', { headers: { authorization: `Basic ${TOKENS.student}` } })).status).toBe(401);
    expect((await raw(t.port, 'GET', '/v1/cache/1', { token: TOKENS.student.slice(0, -1) })).status).toBe(401);
  });

  test("a read-only token's PUT gets 403 and stores nothing", async () => {
    const hash = freshHash();
    const r = await put(t, hash, nxEntry('student'), TOKENS.student);
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect((await get(t, hash)).status).toBe(404);
    expect(tmpFiles()).toEqual([]);
  });

  test('a read-only token restores what a writer stored (200, the bytes as uploaded)', async () => {
    const hash = freshHash();
    const body = nxEntry('restore-me', 100_000);
    expect((await put(t, hash, body)).status).toBe(200);
    const r = await get(t, hash);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(Number(r.headers['content-length'])).toBe(body.length);
    expect(r.body.equals(body)).toBe(true);
  });

  test('a hash that is not stored gets 404 (a miss, for Nx)', async () => {
    expect((await get(t, freshHash())).status).toBe(404);
  });
});

describe('write-once', () => {
  test('a second PUT of a hash gets 409 and the entry is unchanged', async () => {
    const hash = freshHash();
    const first = nxEntry('first');
    expect((await put(t, hash, first)).status).toBe(200);
    // A large second upload gets its answer too (the rest of its body is read and dropped).
    const second = await put(t, hash, gzipSync(makeTar([{ name: 'noise.bin', data: randomBytes(3_000_000) }])));
    expect(second.status).toBe(409);
    expect((await get(t, hash)).body.equals(first)).toBe(true);
    expect(readFileSync(join(t.dir, 'scopes', 'main', hash)).equals(first)).toBe(true);
  });

  test('20 concurrent PUTs of one hash leave one intact entry: the one answered 200', async () => {
    const hash = freshHash();
    const bodies = Array.from({ length: 20 }, (_, i) => nxEntry(`writer ${i}`, 200_000 + i * 1000));
    const results = await Promise.all(bodies.map((b) => put(t, hash, b)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const winner = bodies[statuses.indexOf(200)]!;
    expect((await get(t, hash)).body.equals(winner)).toBe(true);
    expect(scopeFiles('main').filter((f) => f === hash)).toHaveLength(1);
    await until(() => tmpFiles().length === 0);
  });
});

describe('scopes: an untrusted writer cannot poison what others read', () => {
  test("a student's read-write token writes into its own scope, which main's readers never read", async () => {
    const hash = freshHash();
    const poison = nxEntry('poisoned by a student');
    expect((await put(t, hash, poison, TOKENS.studentWriter)).status).toBe(200);
    expect(scopeFiles('student-a')).toContain(hash);
    // Main's readers (and the read-only students, who trust main) do not see it.
    expect((await get(t, hash, TOKENS.mainReader)).status).toBe(404);
    expect((await get(t, hash, TOKENS.student)).status).toBe(404);
    // The instructor can still store the real result under the same hash: write-once is per scope.
    const real = nxEntry('the real result');
    expect((await put(t, hash, real, TOKENS.instructor)).status).toBe(200);
    expect((await get(t, hash, TOKENS.mainReader)).body.equals(real)).toBe(true);
    // The student reads its own scope first, then main.
    expect((await get(t, hash, TOKENS.studentWriter)).body.equals(poison)).toBe(true);
  });

  test('a reader falls back to the scopes it trusts, in order', async () => {
    const hash = freshHash();
    const fromMain = nxEntry('from main');
    expect((await put(t, hash, fromMain, TOKENS.instructor)).status).toBe(200);
    expect((await get(t, hash, TOKENS.studentWriter)).body.equals(fromMain)).toBe(true);
    await until(() => t.lines.some((l) => l.includes(`GET "/v1/cache/${hash}" 200`) && l.endsWith('"scope=main"')));
  });
});

describe('checks on the request', () => {
  test.each([
    ['../', '/v1/cache/../../etc/passwd'],
    ['../ after a hash', '/v1/cache/123/../../../etc/passwd'],
    ['an encoded slash', '/v1/cache/..%2F..%2Fetc%2Fpasswd'],
    ['an encoded slash inside digits', '/v1/cache/12%2F34'],
    ['an encoded dot-dot', '/v1/cache/%2e%2e'],
    ['21 digits (over-long)', '/v1/cache/123456789012345678901'],
    ['a 300-character hash', `/v1/cache/${'1'.repeat(300)}`],
    ['letters', '/v1/cache/abc123'],
    ['a NUL byte', '/v1/cache/12%0034'],
    ['nothing', '/v1/cache/'],
  ])('%s gets 400 on GET and on PUT', async (_label, path) => {
    expect((await raw(t.port, 'GET', path, { token: TOKENS.student })).status).toBe(400);
    expect((await raw(t.port, 'PUT', path, { token: TOKENS.instructor, body: nxEntry('x') })).status).toBe(400);
    expect(readdirSync(t.dir).sort()).toEqual(['scopes', 'tmp']);
  });

  test.each([
    ['random bytes', Buffer.from('this is not what Nx sends\n'.repeat(100))],
    ['a tar that is not gzipped', makeTar([{ name: 'a.txt', data: 'hello' }])],
    ['gzip of something that is not a tar', gzipSync(Buffer.from('{"not":"a tar"}'.repeat(100)))],
    ['a gzip cut short', gzipSync(makeTar([{ name: 'noise.bin', data: randomBytes(50_000) }])).subarray(0, 20_000)],
    ['a tar without its end-of-archive block', gzipSync(makeTar([{ name: 'a.txt', data: 'hello' }]).subarray(0, 1024))],
    ['a tar entry climbing out with ../', gzipSync(makeTar([{ name: '../../.bashrc', data: 'evil' }]))],
    ['a tar entry with an absolute name', gzipSync(makeTar([{ name: '/etc/cron.d/evil', data: 'evil' }]))],
    ['an empty body', Buffer.alloc(0)],
  ])('a body that is %s is refused (400) and leaves nothing', async (_label, body) => {
    const hash = freshHash();
    const r = await put(t, hash, body);
    expect(r.status).toBe(400);
    expect(r.body.toString()).not.toBe('');
    expect((await get(t, hash)).status).toBe(404);
    await until(() => tmpFiles().length === 0);
  });

  test('real archives are accepted: GNU tar with long names, pax and ustar formats, a GNU sparse entry', async () => {
    const tar = spawnSync('tar', ['--version'], { encoding: 'utf8' });
    const formats = tar.status === 0 && /GNU tar/.test(tar.stdout) ? ['gnu', 'pax', 'ustar'] : [];
    const src = tempDir('rdl-cache-tar-');
    const deep = join(
      src,
      'artifacts',
      'week3',
      'a-stage-with-a-rather-long-name',
      'outputs',
      'nested-folder-to-pass-one-hundred-characters',
    );
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'a-file-with-a-long-name-as-well.arrow'), randomBytes(3000));
    for (const format of formats) {
      const r = spawnSync('tar', [`--format=${format}`, '-czf', '-', '-C', src, 'artifacts']);
      expect(r.status, format).toBe(0);
      expect((await put(t, freshHash(), r.stdout)).status, format).toBe(200);
    }
    // A GNU sparse entry whose map continues in an extension block that its size does not count.
    const sparse = tarHeader({ name: 'holes.bin', data: '', type: 'S' }, 512);
    sparse[482] = 1;
    const extension = Buffer.alloc(512); // no more map entries, "is extended" = 0
    const body = gzipSync(
      Buffer.concat([withChecksum(sparse), extension, randomBytes(512), makeTar([{ name: 'code', data: Buffer.alloc(4), format: 'v7' }])]),
    );
    expect((await put(t, freshHash(), body)).status).toBe(200);
  });

  test('an upload killed midway leaves no entry, and the hash can be uploaded afterwards', async () => {
    const hash = freshHash();
    const body = nxEntry('killed', 3_000_000);
    await new Promise<void>((resolve) => {
      const req = request({
        host: '127.0.0.1',
        port: t.port,
        method: 'PUT',
        path: `/v1/cache/${hash}`,
        agent: false,
        headers: { authorization: `Bearer ${TOKENS.instructor}`, 'content-length': String(body.length) },
      });
      req.on('error', () => resolve());
      req.write(body.subarray(0, body.length >> 1), () => {
        // Half the body is on its way: now the client dies.
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 100);
      });
    });
    await until(() => t.lines.some((l) => l.includes(`/v1/cache/${hash}"`)));
    expect(t.lines.find((l) => l.includes(`/v1/cache/${hash}"`))).toMatch(/aborted/);
    await until(() => tmpFiles().length === 0);
    expect(scopeFiles('main')).not.toContain(hash);
    expect((await get(t, hash)).status).toBe(404);
    expect((await put(t, hash, body)).status).toBe(200);
    expect((await get(t, hash)).body.equals(body)).toBe(true);
  });

  test('unknown paths get 404; GET /health answers without a token', async () => {
    expect((await raw(t.port, 'GET', '/v1/other/1', { token: TOKENS.student })).status).toBe(404);
    const health = await raw(t.port, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body.toString())).toMatchObject({ status: 'ok', uploadsInFlight: 0 });
  });

  test('one access-log line per request, naming the token by a fingerprint, never the token', async () => {
    const before = t.lines.length;
    await get(t, freshHash());
    await raw(t.port, 'GET', '/v1/cache/../x', { token: TOKENS.student });
    await put(t, freshHash(), nxEntry('logged'));
    await until(() => t.lines.length >= before + 3);
    await new Promise((r) => setTimeout(r, 50));
    const lines = t.lines.slice(before);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/ GET "\/v1\/cache\/\d+" 404 [\d.]+ms .* token=[0-9a-f]{8}:read$/);
    expect(lines[1]).toMatch(/ 400 /);
    expect(lines[2]).toMatch(/ PUT .* 200 .*token=[0-9a-f]{8}:read-write@main "stored in main"/);
    for (const line of t.lines) for (const token of Object.values(TOKENS)) expect(line).not.toContain(token);
  });
});

describe('size limit', () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startServer({ maxBodyBytes: 64 * 1024, maxUnpackedBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    await small?.close();
  });

  test('a declared Content-Length over the limit gets 413 before the body is sent', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: small.port,
        method: 'PUT',
        path: '/v1/cache/7',
        agent: false,
        headers: { authorization: `Bearer ${TOKENS.instructor}`, 'content-length': String(1 << 30) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(status).toBe(413);
  });

  test('a chunked body that grows over the limit gets 413 and leaves nothing', async () => {
    const body = gzipSync(makeTar([{ name: 'noise.bin', data: randomBytes(200 * 1024) }]));
    const r = await raw(small.port, 'PUT', '/v1/cache/8', { token: TOKENS.instructor, body, chunked: true });
    expect(r.status).toBe(413);
    expect((await raw(small.port, 'GET', '/v1/cache/8', { token: TOKENS.student })).status).toBe(404);
    await until(() => readdirSync(join(small.dir, 'tmp')).length === 0);
  });

  test('a gzip bomb (small body, huge when inflated) gets 413', async () => {
    const body = gzipSync(makeTar([{ name: 'zeros.bin', data: Buffer.alloc(8 * 1024 * 1024) }]));
    expect(body.length).toBeLessThan(64 * 1024);
    const r = await raw(small.port, 'PUT', '/v1/cache/9', { token: TOKENS.instructor, body });
    expect(r.status).toBe(413);
    expect((await raw(small.port, 'GET', '/v1/cache/9', { token: TOKENS.student })).status).toBe(404);
  });

  test('a body under the limit is stored', async () => {
    const r = await raw(small.port, 'PUT', '/v1/cache/10', { token: TOKENS.instructor, body: nxEntry('small enough'), chunked: true });
    expect(r.status).toBe(200);
  });
});

describe('restart', () => {
  test('entries survive a server restart; write-once still holds after it', async () => {
    const first = await startServer();
    const hash = '424242';
    const body = nxEntry('durable', 300_000);
    expect((await put(first, hash, body)).status).toBe(200);
    await first.close();
    const second = await startServer({ dir: first.dir });
    try {
      const r = await get(second, hash);
      expect(r.status).toBe(200);
      expect(r.body.equals(body)).toBe(true);
      expect((await put(second, hash, nxEntry('replacement'))).status).toBe(409);
    } finally {
      await second.close();
    }
  });
});
