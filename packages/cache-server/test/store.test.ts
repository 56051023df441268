import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { DiskStore } from '../src/index.js';
import { nxEntry, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const DAY = 86400e3;

function store(options: { maxAgeMs?: number; maxTotalBytes?: number } = {}) {
  const dir = tempDir('rdl-cache-store-');
  return new DiskStore({
    dir,
    maxBodyBytes: 1 << 30,
    maxAgeMs: options.maxAgeMs ?? 30 * DAY,
    maxTotalBytes: options.maxTotalBytes ?? 1 << 40,
  });
}

/** Stores an entry, then dates its last use `lastUsedDaysAgo` days back. */
async function putAged(s: DiskStore, scope: string, hash: string, lastUsedDaysAgo: number) {
  expect(await s.put(scope, hash, Readable.from([nxEntry('same size for every entry')]))).toBe('created');
  const when = new Date(Date.now() - lastUsedDaysAgo * DAY);
  utimesSync(s.entryPath(scope, hash), when, when);
}

describe('disk store', () => {
  test('eviction by age removes entries not restored for maxAge, keeps the rest', async () => {
    const s = store({ maxAgeMs: 7 * DAY });
    await putAged(s, 'main', '1', 10);
    await putAged(s, 'main', '2', 3);
    await putAged(s, 'other', '3', 8);
    const report = await s.evict();
    expect(report.removed).toBe(2);
    expect((await s.list()).map((e) => e.hash)).toEqual(['2']);
  });

  test('eviction by size removes the least recently restored first, until the total fits', async () => {
    const s = store();
    for (const [hash, age] of [
      ['10', 5],
      ['11', 1],
      ['12', 3],
      ['13', 2],
    ] as const)
      await putAged(s, 'main', hash, age);
    const sizes = await s.list();
    const each = sizes[0]!.size;
    const bounded = new DiskStore({ ...s.options, maxTotalBytes: each * 2 + 1 });
    const report = await bounded.evict();
    expect(report.removed).toBe(2);
    expect((await bounded.list()).map((e) => e.hash).sort()).toEqual(['11', '13']);
  });

  test('a restore counts as a use: it protects the entry from eviction by age', async () => {
    const s = store({ maxAgeMs: 7 * DAY });
    await putAged(s, 'main', '20', 10);
    const opened = await s.open(['main'], '20');
    opened!.stream.destroy();
    expect((await s.evict()).removed).toBe(0);
  });

  test('leftover uploads of a crash are removed at start-up; they never were entries', () => {
    const dir = tempDir('rdl-cache-store-');
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    writeFileSync(join(dir, 'tmp', 'main.1.abc.part'), 'half an upload');
    const s = new DiskStore({ dir, maxBodyBytes: 1 << 30, maxAgeMs: DAY, maxTotalBytes: 1 << 30 });
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(s.pendingUploads()).toBe(0);
  });

  test("the store refuses scopes and hashes that are not names (its own guard, under the server's)", () => {
    const s = store();
    expect(() => s.entryPath('..', '1')).toThrow(/invalid scope/);
    expect(() => s.entryPath('main', '../1')).toThrow(/invalid hash/);
  });
});
