/**
 * The generic worker pool on real worker threads (source mode: the bootstrap registers tsx),
 * with a worker module that knows no model.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { helperWorkers, initBackend, shareChunks, shutdownWorkers, startWorkers, taskModule } from '../../src/index.js';
import type { EchoTasks } from './fixtures/echo-tasks.js';

const echo = taskModule<EchoTasks>(new URL('./fixtures/echo-tasks.ts', import.meta.url));

describe('worker pool', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });
  afterAll(async () => {
    await shutdownWorkers();
  });

  it("starts workers that own the caller's backend, started through the same runtime the module imports", async () => {
    const workers = await startWorkers(echo, 2, 'wasm');
    expect(workers).toHaveLength(2);
    for (const w of workers) expect(await w.run('backend', undefined)).toEqual({ tf: 'wasm', rdl: 'wasm' });
  });

  it('runs typed tasks, transfers buffers both ways and reports task errors', async () => {
    const [w] = await startWorkers(echo, 1, 'wasm');
    const input = Float32Array.from([1, 2, 3]);
    const out = await w.run('double', input, [input.buffer]);
    expect(Array.from(out)).toEqual([2, 4, 6]);
    expect(input.byteLength).toBe(0); // moved, not copied
    expect(await w.run('sum', { values: [1, 2, 3.5] })).toBe(6.5);
    await expect(w.run('fail', 'no luck')).rejects.toThrow('no luck');
    expect(await w.run('sum', { values: [4] })).toBe(4); // the worker lives on
  });

  it('gives helpers for a thread count beside the calling thread, and shares chunks with them', async () => {
    expect(await helperWorkers(echo, 1)).toEqual([]);
    const workers = await helperWorkers(echo, 3);
    expect(workers).toHaveLength(2);
    const sums = new Float64Array(90);
    await shareChunks(90, workers, {
      maxChunk: 4,
      local: async (a, b) => void sums.fill(-1, a, b),
      remote: async (w, a, b) => void sums.fill(await w.run('sum', { values: [a, b] }), a, b),
    });
    expect(sums.every((v) => v !== 0)).toBe(true);
  });

  it('falls back to no workers, with one line on stderr, when a worker module cannot load', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const missing = taskModule<EchoTasks>(new URL('./fixtures/missing.ts', import.meta.url));
      expect(await startWorkers(missing, 1, 'wasm')).toEqual([]);
      expect(await startWorkers(missing, 1, 'wasm')).toEqual([]);
      const lines = write.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('worker threads unavailable'));
      expect(lines).toHaveLength(1);
    } finally {
      write.mockRestore();
    }
    // The pool starts again afterwards.
    expect(await startWorkers(echo, 1, 'wasm')).toHaveLength(1);
  });
});
