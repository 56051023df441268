// The TensorFlow.js runtime a process will use, resolved without starting it: which backend
// initBackend() picks and how many threads LeNet work gets. Plain JavaScript on purpose: Nx runs
// it for every stage's cache key (packages/pipeline/bin/stage-key.mjs), so it must start in
// milliseconds without a TypeScript loader, and the stage runner calls the same code to check,
// after a stage ran, that the runtime it used is the one its key names.
//
// The rules are @rdl/models' (backend/init-backend.ts, parallel/threads.ts), the same error texts:
//   backend: RDL_BACKEND when set; else tensorflow when @tensorflow/tfjs-node can be imported;
//            else wasm;
//   threads: 1 on tensorflow (tfjs-node threads internally); else RDL_THREADS when set (an
//            integer from 1 to 64); else min(2, available cores).
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';

export const BACKENDS = Object.freeze(['tensorflow', 'wasm', 'cpu']);
export const MAX_DEFAULT_THREADS = 2;

/** `RDL_BACKEND`, validated; undefined when unset or blank. */
export function backendFromEnv(value) {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim().toLowerCase();
  if (BACKENDS.includes(v)) return v;
  throw new Error(`RDL_BACKEND must be one of tensorflow, wasm, cpu (got "${value}")`);
}

/** `RDL_THREADS`, validated like zod's `z.coerce.number().int().min(1).max(64)`; undefined when unset or blank. */
export function threadsFromEnv(value) {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`RDL_THREADS must be an integer from 1 to 64 (got "${value}")`);
  return n;
}

/** Whether `@tensorflow/tfjs-node` actually loads here (installed, with its native binding). */
export function tfjsNodeLoads() {
  // The name sits in a variable, as in init-backend.ts: the package is optional.
  const name = '@tensorflow/tfjs-node';
  try {
    createRequire(import.meta.url)(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * The backend and thread count a stage run with `env` uses. Throws, with @rdl/models' message, on
 * an invalid RDL_BACKEND, or an invalid RDL_THREADS where threads are read (not on tensorflow).
 */
export function resolveRuntime(env = process.env) {
  const backend = backendFromEnv(env.RDL_BACKEND) ?? (tfjsNodeLoads() ? 'tensorflow' : 'wasm');
  // As in threads.ts, RDL_THREADS is not read (nor validated) on tensorflow.
  if (backend === 'tensorflow') return { backend, threads: 1 };
  const threads = threadsFromEnv(env.RDL_THREADS) ?? Math.max(1, Math.min(MAX_DEFAULT_THREADS, availableParallelism()));
  return { backend, threads };
}
