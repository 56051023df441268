import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { BodyError } from './body-check.js';
import { isNxHash } from './hash.js';
import { DiskStore, type StoreOptions } from './store.js';
import type { Grant, TokenTable } from './tokens.js';

export const DEFAULT_MAX_BODY_BYTES = 2 ** 30; // 1 GiB: week 3's largest entry, `predict`, is 59 MB gzip (140 MB unpacked)
export const DEFAULT_MAX_TOTAL_BYTES = 50 * 2 ** 30;
export const DEFAULT_MAX_AGE_MS = 30 * 86400e3;
export const DEFAULT_EVICT_EVERY_MS = 10 * 60e3;

export interface CacheServerOptions {
  dir: string;
  tokens: TokenTable;
  maxBodyBytes?: number;
  maxUnpackedBytes?: number;
  maxTotalBytes?: number;
  maxAgeMs?: number;
  /** How often eviction runs (it also runs at start and when a write takes the total over the limit). */
  evictEveryMs?: number;
  /** One line per request (no trailing newline). Default: stdout. */
  log?: (line: string) => void;
}

/** What the access log line of a request says, filled in as the request is handled. */
interface RequestNote {
  start: bigint;
  grant?: Grant;
  bytesIn: number;
  bytesOut: number;
  note?: string;
}

const PLAIN = 'text/plain; charset=utf-8';

function text(reply: FastifyReply, status: number, message: string): FastifyReply {
  // Nx shows a 401's text/plain body to the user, and treats anything else on a 401 as a misconfigured server.
  return reply
    .code(status)
    .type(status === 401 ? 'text/plain' : PLAIN)
    .send(message + '\n');
}

function clean(value: string, max = 160): string {
  // eslint-disable-next-line no-control-regex
  const safe = value.replace(/[\x00-\x1f\x7f"\\]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}

/**
 * Discards what is left of a refused upload so that the client, still sending, reads the answer
 * instead of a reset connection; beyond `limit` more bytes the connection is closed.
 */
function discardRest(raw: IncomingMessage, limit: number): void {
  if (raw.complete || raw.destroyed) return;
  let discarded = 0;
  raw.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limit) raw.destroy();
  });
  raw.resume();
}

export interface CacheServer {
  app: FastifyInstance;
  store: DiskStore;
  /** Listens; resolves with the base URL (`http://host:port`). Port 0 picks a free port. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export function createCacheServer(options: CacheServerOptions): CacheServer {
  const storeOptions: StoreOptions = {
    dir: options.dir,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxUnpackedBytes: options.maxUnpackedBytes,
    maxAgeMs: options.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
    maxTotalBytes: options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES,
  };
  const store = new DiskStore(storeOptions);
  const tokens = options.tokens;
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const notes = new WeakMap<IncomingMessage, RequestNote>();
  let approxBytes = 0;

  const app = Fastify({
    logger: false,
    exposeHeadRoutes: false,
    // Uploads of a few hundred MB on a slow link may take minutes; a stalled one is cut by the idle timeout.
    requestTimeout: 60 * 60e3,
    connectionTimeout: 120e3,
    keepAliveTimeout: 30e3,
    return503OnClosing: true,
  });

  const evict = (reason: string) =>
    store.evict().then(
      (report) => {
        approxBytes = report.bytes;
        if (report.removed > 0)
          log(
            `${new Date().toISOString()} eviction (${reason}): removed ${report.removed} entries, ${report.freedBytes} bytes; ${report.entries} entries, ${report.bytes} bytes kept`,
          );
      },
      (error: Error) => log(`${new Date().toISOString()} eviction failed: ${clean(error.message)}`),
    );

  // The body of a PUT is the raw stream, handed over unread: the route streams it to disk.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

  app.addHook('onRequest', (request, reply, done) => {
    const note: RequestNote = { start: process.hrtime.bigint(), bytesIn: 0, bytesOut: 0 };
    notes.set(request.raw, note);
    reply.raw.once('close', () => {
      const ms = Number(process.hrtime.bigint() - note.start) / 1e6;
      const status = reply.raw.writableFinished ? String(reply.raw.statusCode) : `${reply.raw.statusCode}-aborted`;
      const who = note.grant ? `token=${note.grant.id}:${note.grant.access}${note.grant.scope ? `@${note.grant.scope}` : ''}` : 'token=-';
      const parts = [
        new Date().toISOString(),
        request.ip,
        request.method,
        `"${clean(request.url)}"`,
        status,
        `${ms.toFixed(1)}ms`,
        `in=${note.bytesIn}`,
        `out=${reply.raw.writableFinished ? note.bytesOut : '?'}`,
        who,
      ];
      if (note.note) parts.push(`"${clean(note.note)}"`);
      log(parts.join(' '));
    });
    done();
  });

  app.setNotFoundHandler((_request, reply) => text(reply, 404, 'not found: the cache API is GET and PUT /v1/cache/{hash}'));
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const note = notes.get(request.raw);
    if (note) note.note = error.message;
    if (!reply.sent) text(reply, status, status === 500 ? 'internal error' : error.message);
  });

  app.get('/health', async (_request, reply) => {
    const usage = await store.usage();
    return reply.code(200).send({ status: 'ok', entries: usage.entries, bytes: usage.bytes, uploadsInFlight: store.pendingUploads() });
  });

  /** 401 unless the request carries a known bearer token. */
  function authorize(request: FastifyRequest, reply: FastifyReply, note: RequestNote): Grant | undefined {
    const grant = tokens.authorize(request.headers.authorization);
    if (!grant) {
      text(
        reply,
        401,
        request.headers.authorization ? 'unknown access token' : 'missing access token (set NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN)',
      );
      return undefined;
    }
    note.grant = grant;
    return grant;
  }

  function hashOf(request: FastifyRequest, reply: FastifyReply): string | undefined {
    const hash = (request.params as { '*'?: string })['*'] ?? '';
    if (!isNxHash(hash) || request.url.includes('%')) {
      text(reply, 400, 'bad hash: Nx task hashes are 1 to 20 decimal digits');
      return undefined;
    }
    return hash;
  }

  app.get('/v1/cache/*', async (request, reply) => {
    const note = notes.get(request.raw)!;
    const grant = authorize(request, reply, note);
    if (!grant) return reply;
    const hash = hashOf(request, reply);
    if (!hash) return reply;
    const entry = await store.open(grant.readOrder, hash);
    if (!entry) return text(reply, 404, 'not in the cache');
    note.note = `scope=${entry.scope}`;
    note.bytesOut = entry.size;
    return reply.code(200).header('content-type', 'application/octet-stream').header('content-length', entry.size).send(entry.stream);
  });

  app.put('/v1/cache/*', async (request, reply) => {
    const note = notes.get(request.raw)!;
    const raw = request.raw;
    const grant = authorize(request, reply, note);
    if (!grant) return reply;
    const hash = hashOf(request, reply);
    if (!hash) return reply;
    if (grant.access !== 'read-write' || !grant.scope) return text(reply, 403, 'this token may read the cache, not write to it');
    const declared = Number(request.headers['content-length'] ?? NaN);
    if (declared > storeOptions.maxBodyBytes) {
      // Too large to read and discard: answer and close, before the body is sent.
      reply.header('connection', 'close');
      return text(reply, 413, `the body is larger than the limit of ${storeOptions.maxBodyBytes} bytes`);
    }
    if (await store.has(grant.scope, hash)) {
      // Write-once: an entry is never replaced. Nx takes 409 as "already stored".
      discardRest(raw, storeOptions.maxBodyBytes);
      return text(reply, 409, 'this hash is already stored in your scope; entries are never replaced');
    }
    const stats = { bytes: 0 };
    try {
      const result = await store.put(grant.scope, hash, raw, stats);
      note.bytesIn = stats.bytes;
      if (result === 'exists') return text(reply, 409, 'this hash is already stored in your scope; entries are never replaced');
      approxBytes += note.bytesIn;
      if (approxBytes > storeOptions.maxTotalBytes) void evict('size');
      note.note = `stored in ${grant.scope}`;
      return reply.code(200).send();
    } catch (error) {
      note.bytesIn = stats.bytes;
      if (error instanceof BodyError) {
        note.note = error.message;
        if (error.status === 413) reply.header('connection', 'close');
        else discardRest(raw, storeOptions.maxBodyBytes);
        return text(reply, error.status, error.message);
      }
      if (raw.destroyed) {
        // The client went away mid-upload: nothing is stored, nobody to answer.
        note.note = `upload cut short: ${(error as Error).message}`;
        return reply;
      }
      discardRest(raw, storeOptions.maxBodyBytes);
      throw error;
    }
  });

  let timer: NodeJS.Timeout | undefined;
  return {
    app,
    store,
    async listen(port: number, host = '127.0.0.1') {
      await evict('start');
      await app.listen({ port, host });
      const every = options.evictEveryMs ?? DEFAULT_EVICT_EVERY_MS;
      timer = setInterval(() => void evict('age'), every);
      timer.unref();
      const address = app.server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${shownHost}:${address.port}`;
    },
    async close() {
      if (timer) clearInterval(timer);
      // In-flight uploads are cut after a grace period; their temporary files are removed.
      const force = setTimeout(() => app.server.closeAllConnections(), 10e3);
      force.unref();
      await app.close();
      clearTimeout(force);
    },
  };
}
