/**
 * Browser side of ../workers/worker-pool.ts: the pool runs on node:worker_threads, which a page
 * has not. A page that wants parallel work starts its own web workers, each with its own backend;
 * inside one, data-parallel code runs on the calling thread alone.
 */
import type { TaskModule, TaskSpec } from '../workers/tasks.js';
import type { TaskWorker } from '../workers/worker-pool.js';

/** No helper threads in a browser: callers then do all the work on the calling thread. */
export async function helperWorkers<S extends TaskSpec<S>>(_tasks: TaskModule<S>, _threads?: number): Promise<TaskWorker<S>[]> {
  return [];
}

export async function startWorkers<S extends TaskSpec<S>>(_tasks: TaskModule<S>, _count: number): Promise<TaskWorker<S>[]> {
  throw new Error('@rdl/runtime: worker threads are Node-only; in a browser, start web workers');
}

export async function shutdownWorkers(): Promise<void> {}

/** One thread per web worker. */
export function defaultThreads(): number {
  return 1;
}

export function resolveThreads(requested: number | undefined): number {
  if (requested === undefined) return 1;
  if (!Number.isInteger(requested) || requested < 1) throw new Error(`threads must be a positive integer, got ${requested}`);
  return 1;
}
