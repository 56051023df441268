/**
 * How many threads data-parallel work may use. The wasm backend runs one thread per JS thread
 * under Node, so further cores are used by worker threads that own their own backend (see
 * ../workers/worker-pool.ts). `RDL_THREADS` overrides the default, min(2, available cores);
 * tensorflow (tfjs-node) threads internally, so it always gets 1.
 */
import { z } from 'zod';
import type { BackendName } from './backend-name.js';
import { availableCores } from './cores.js';

const MAX_DEFAULT_THREADS = 2;
const threadsSchema = z.coerce.number().int().min(1).max(64);

/** Parses `RDL_THREADS`; undefined when unset or empty. */
export function threadsFromEnv(value: string | undefined = process.env.RDL_THREADS): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = threadsSchema.safeParse(value.trim());
  if (!parsed.success) throw new Error(`RDL_THREADS must be an integer from 1 to 64 (got "${value}")`);
  return parsed.data;
}

/** Threads to use on `backend` when the caller does not say. */
export function defaultThreads(backend: BackendName | undefined): number {
  if (backend === 'tensorflow') return 1;
  return threadsFromEnv() ?? Math.max(1, Math.min(MAX_DEFAULT_THREADS, availableCores()));
}

/** Validates an explicit `threads` option, or picks the default. */
export function resolveThreads(requested: number | undefined, backend: BackendName | undefined): number {
  if (requested === undefined) return defaultThreads(backend);
  if (!Number.isInteger(requested) || requested < 1) throw new Error(`threads must be a positive integer, got ${requested}`);
  return backend === 'tensorflow' ? 1 : requested;
}
