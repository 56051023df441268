import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, rmSync, type ReadStream } from 'node:fs';
import { link, open, readdir, stat, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BodyCheck } from './body-check.js';
import { isNxHash } from './hash.js';
import { SCOPE_PATTERN } from './tokens.js';

export interface StoreOptions {
  /** Root folder: `scopes/<scope>/<hash>` holds the entries, `tmp/` the uploads in flight. */
  dir: string;
  /** Largest body accepted, in bytes (as sent, gzip-compressed). */
  maxBodyBytes: number;
  /** Largest size a body may inflate to. Default: 16 × maxBodyBytes. */
  maxUnpackedBytes?: number;
  /** Evict entries not restored for this long (ms). */
  maxAgeMs: number;
  /** Evict least recently restored entries while all entries together are larger than this. */
  maxTotalBytes: number;
}

export type PutResult = 'created' | 'exists';

export interface EntryStream {
  scope: string;
  size: number;
  stream: ReadStream;
}

export interface EvictionReport {
  removed: number;
  freedBytes: number;
  entries: number;
  bytes: number;
}

function assertName(scope: string, hash: string): void {
  // The server checks both before calling; this is the store's own guard, so no caller can
  // turn a scope or hash into a path outside `dir`.
  if (!SCOPE_PATTERN.test(scope) || scope === '.' || scope === '..') throw new Error(`invalid scope '${scope}'`);
  if (!isNxHash(hash)) throw new Error(`invalid hash '${hash}'`);
}

/**
 * The entries on disk. Each `PUT` streams into its own file under `tmp/`, is checked while it
 * streams (gzip, tar), is flushed to disk, and only then appears under its final name through
 * `link(2)`, which fails when the name exists: the first complete upload of a hash in a scope
 * wins and nothing ever replaces it (write-once). A dropped or refused upload leaves only its
 * temporary file, which is removed at once (and at start-up, after a crash).
 */
export class DiskStore {
  readonly dir: string;
  private readonly scopesDir: string;
  private readonly tmpDir: string;
  private evicting: Promise<EvictionReport> | undefined;

  constructor(readonly options: StoreOptions) {
    this.dir = options.dir;
    this.scopesDir = join(options.dir, 'scopes');
    this.tmpDir = join(options.dir, 'tmp');
    mkdirSync(this.scopesDir, { recursive: true });
    // Uploads cut short by a crash or a kill: never entries, safe to drop.
    rmSync(this.tmpDir, { recursive: true, force: true });
    mkdirSync(this.tmpDir, { recursive: true });
  }

  entryPath(scope: string, hash: string): string {
    assertName(scope, hash);
    return join(this.scopesDir, scope, hash);
  }

  async has(scope: string, hash: string): Promise<boolean> {
    try {
      return (await stat(this.entryPath(scope, hash))).isFile();
    } catch {
      return false;
    }
  }

  /**
   * The first of `scopes` holding `hash`, opened for streaming (the open file stays readable
   * even if eviction removes the entry meanwhile), or undefined.
   */
  async open(scopes: readonly string[], hash: string): Promise<EntryStream | undefined> {
    for (const scope of scopes) {
      const path = this.entryPath(scope, hash);
      let handle: FileHandle;
      try {
        handle = await open(path, 'r');
      } catch {
        continue;
      }
      try {
        const info = await handle.stat();
        if (!info.isFile()) {
          await handle.close();
          continue;
        }
        // Last restore time, for eviction by age and least-recent use (mtime stays the write time).
        const now = new Date();
        await utimes(path, now, info.mtime).catch(() => undefined);
        return {
          scope,
          size: info.size,
          stream: handle.createReadStream({ autoClose: true, highWaterMark: 64 * 1024 }) as unknown as ReadStream,
        };
      } catch (error) {
        await handle.close().catch(() => undefined);
        throw error;
      }
    }
    return undefined;
  }

  /**
   * Streams `body` into `scope/hash`; rejects with a BodyError when the body is refused, or with
   * an error when the body ends early or fails. `body` itself is never destroyed here (an HTTP
   * request stays answerable); `stats.bytes` counts what was read.
   */
  async put(scope: string, hash: string, body: Readable, stats: { bytes: number } = { bytes: 0 }): Promise<PutResult> {
    const final = this.entryPath(scope, hash);
    mkdirSync(join(this.scopesDir, scope), { recursive: true });
    const tmp = join(this.tmpDir, `${scope}.${hash}.${randomBytes(6).toString('hex')}.part`);
    const check = new BodyCheck({
      maxBytes: this.options.maxBodyBytes,
      maxUnpackedBytes: this.options.maxUnpackedBytes ?? this.options.maxBodyBytes * 16,
    });
    let ended = false;
    const onEnd = () => {
      ended = true;
    };
    const onError = (error: Error) => check.destroy(error);
    const onClose = () => {
      if (!ended) check.destroy(new Error('the upload was cut short'));
    };
    const file = createWriteStream(tmp, { flags: 'wx', mode: 0o644, highWaterMark: 64 * 1024 });
    try {
      const written = pipeline(check, file);
      body.once('end', onEnd);
      body.once('error', onError);
      body.once('close', onClose);
      body.pipe(check);
      try {
        await written;
      } finally {
        stats.bytes = check.bytes;
        body.unpipe(check);
      }
      // On disk before it gets its name: a crash never leaves a named entry with missing bytes.
      const handle = await open(tmp, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await link(tmp, final);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
        throw error;
      }
      await syncDir(join(this.scopesDir, scope));
      return 'created';
    } finally {
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
      // A refused upload: wait until the file is closed (or was never opened), then remove it.
      if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
      await unlink(tmp).catch(() => undefined);
    }
  }

  /** Every entry with its size and last use (restore, else write), for eviction and health. */
  async list(): Promise<{ scope: string; hash: string; path: string; size: number; lastUsedMs: number }[]> {
    const out: { scope: string; hash: string; path: string; size: number; lastUsedMs: number }[] = [];
    for (const scope of await readdir(this.scopesDir).catch(() => [] as string[])) {
      if (!SCOPE_PATTERN.test(scope)) continue;
      const folder = join(this.scopesDir, scope);
      for (const hash of await readdir(folder).catch(() => [] as string[])) {
        if (!isNxHash(hash)) continue;
        const path = join(folder, hash);
        try {
          const info = await stat(path);
          if (info.isFile()) out.push({ scope, hash, path, size: info.size, lastUsedMs: Math.max(info.atimeMs, info.mtimeMs) });
        } catch {
          // removed meanwhile
        }
      }
    }
    return out;
  }

  /**
   * Removes entries not used for `maxAgeMs`, then the least recently used until the total fits
   * `maxTotalBytes`. One eviction at a time; a caller arriving during one gets its result.
   */
  evict(now = Date.now()): Promise<EvictionReport> {
    this.evicting ??= this.runEviction(now).finally(() => {
      this.evicting = undefined;
    });
    return this.evicting;
  }

  private async runEviction(now: number): Promise<EvictionReport> {
    const entries = (await this.list()).sort((a, b) => a.lastUsedMs - b.lastUsedMs);
    let bytes = entries.reduce((sum, e) => sum + e.size, 0);
    let removed = 0;
    let freedBytes = 0;
    let kept = entries.length;
    for (const entry of entries) {
      const old = now - entry.lastUsedMs > this.options.maxAgeMs;
      if (!old && bytes <= this.options.maxTotalBytes) break;
      try {
        await unlink(entry.path);
        removed++;
        freedBytes += entry.size;
        bytes -= entry.size;
        kept--;
      } catch {
        // already gone
      }
    }
    return { removed, freedBytes, entries: kept, bytes };
  }

  /** Entries and bytes on disk now. */
  async usage(): Promise<{ entries: number; bytes: number }> {
    const entries = await this.list();
    return { entries: entries.length, bytes: entries.reduce((sum, e) => sum + e.size, 0) };
  }

  /** Uploads in flight (temporary files), for tests and health. */
  pendingUploads(): number {
    try {
      return readdirSync(this.tmpDir).length;
    } catch {
      return 0;
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the link is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
