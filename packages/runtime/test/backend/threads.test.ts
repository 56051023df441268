import { afterEach, describe, expect, it } from 'vitest';
import { defaultThreads, resolveThreads, threadsFromEnv } from '../../src/index.js';

const saved = process.env.RDL_THREADS;
afterEach(() => {
  if (saved === undefined) delete process.env.RDL_THREADS;
  else process.env.RDL_THREADS = saved;
});

describe('thread settings', () => {
  it('parses RDL_THREADS and rejects nonsense', () => {
    expect(threadsFromEnv(undefined)).toBeUndefined();
    expect(threadsFromEnv(' 2 ')).toBe(2);
    expect(() => threadsFromEnv('two')).toThrow(/RDL_THREADS must be an integer/);
    expect(() => threadsFromEnv('0')).toThrow(/RDL_THREADS/);
    expect(() => threadsFromEnv('65')).toThrow(/RDL_THREADS/);
  });

  it('defaults to RDL_THREADS, else min(2, cores); tensorflow always 1', () => {
    process.env.RDL_THREADS = '3';
    expect(defaultThreads('wasm')).toBe(3);
    expect(defaultThreads('tensorflow')).toBe(1);
    delete process.env.RDL_THREADS;
    expect([1, 2]).toContain(defaultThreads('cpu'));
  });

  it('validates an explicit thread count', () => {
    expect(resolveThreads(4, 'wasm')).toBe(4);
    expect(resolveThreads(4, 'tensorflow')).toBe(1);
    expect(() => resolveThreads(0, 'wasm')).toThrow(/positive integer/);
    expect(() => resolveThreads(1.5, 'cpu')).toThrow(/positive integer/);
  });
});
