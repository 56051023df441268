import { resolve } from 'node:path';
import { createCacheServer, DEFAULT_MAX_AGE_MS, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_TOTAL_BYTES } from './server.js';
import { loadTokens } from './tokens.js';
import { formatBytes, parseDuration, parseSize } from './units.js';

export interface ServeOptions {
  dir: string;
  port: string | number;
  tokens: string;
  host?: string;
  /** Sizes as `1GiB`, `500MB` or bytes; durations as `30d`, `12h`. */
  maxBody?: string;
  maxSize?: string;
  maxAge?: string;
  /** Stop on SIGINT/SIGTERM (what `rdl cache serve` does). */
  handleSignals?: boolean;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
  /** Settles when the server has stopped. */
  closed: Promise<void>;
}

function port(value: string | number): number {
  const n = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port: '${value}' is not a port (0-65535; 0 picks a free one)`);
  return n;
}

function option<T>(name: string, value: string | undefined, parse: (v: string) => T, fallback: T): T {
  if (value === undefined) return fallback;
  try {
    return parse(value);
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`, { cause: error });
  }
}

/** `rdl cache serve`: validates everything first (one-line errors), then listens. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const listenPort = port(options.port);
  const tokens = loadTokens(options.tokens);
  const maxBodyBytes = option('--max-body', options.maxBody, parseSize, DEFAULT_MAX_BODY_BYTES);
  const maxTotalBytes = option('--max-size', options.maxSize, parseSize, DEFAULT_MAX_TOTAL_BYTES);
  const maxAgeMs = option('--max-age', options.maxAge, parseDuration, DEFAULT_MAX_AGE_MS);
  const dir = resolve(options.dir);
  let server;
  try {
    server = createCacheServer({ dir, tokens, maxBodyBytes, maxTotalBytes, maxAgeMs, log });
  } catch (error) {
    throw new Error(`--dir ${dir}: ${(error as Error).message}`, { cause: error });
  }
  const url = await server.listen(listenPort, options.host ?? '127.0.0.1');
  log(
    `rdl cache: serving ${dir} at ${url} — ${tokens.size} tokens, scopes ${tokens.scopes().join(', ')}; ` +
      `bodies up to ${formatBytes(maxBodyBytes)}, ${formatBytes(maxTotalBytes)} in all, unused entries kept ${Math.round(maxAgeMs / 3600e3)} h`,
  );

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= server.close().finally(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolveClosed();
    });
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`rdl cache: ${signal}, stopping`);
    void close();
  };
  if (options.handleSignals) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return { url, close, closed };
}
