/**
 * Node-only. A process-wide pool of worker threads for data-parallel tfjs work. Under Node the
 * wasm backend runs on one thread, so further cores are used by worker threads that each start
 * the caller's backend and run the named tasks of worker modules (see tasks.ts). Workers start
 * lazily, are shared by the whole process (every worker module runs on the same threads), and
 * are unref'd while idle so they never keep the process alive.
 *
 * Built packages start dist/workers/worker-thread.js; in the monorepo's source mode a small
 * bootstrap registers tsx first. A worker that cannot start, or cannot load a module, is
 * reported once on stderr and the caller gets no workers: it does the work itself.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend/backend-name.js';
import { getBackendInfo } from '../backend/init-backend.js';
import { resolveThreads } from '../backend/threads.js';
import type { WorkerReply, WorkerRequest, WorkerStart, WorkerStatus } from './protocol.js';
import type { TaskInput, TaskModule, TaskName, TaskOutput, TaskSpec } from './tasks.js';

/** A worker thread running the tasks of one worker module. */
export interface TaskWorker<S extends TaskSpec<S>> {
  /** Runs `task` on this thread (after the tasks sent before it); `transfer` moves buffers of the input. */
  run<K extends TaskName<S>>(task: K, input: TaskInput<S, K>, transfer?: ArrayBuffer[]): Promise<TaskOutput<S, K>>;
}

type Pending = { resolve: (output: unknown) => void; reject: (err: Error) => void };
type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

class PoolWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly loaded = new Map<string, Promise<void>>();
  private nextId = 1;
  private failure: Error | undefined;
  readonly ready: Promise<void>;

  constructor(backend: BackendName) {
    const { file, entry, runtime } = threadFiles();
    const start: WorkerStart = { backend, runtime, entry };
    const sourceMode = file.endsWith('.mjs') && entry.endsWith('.ts');
    this.worker = new Worker(file, {
      workerData: start,
      // Not the caller's flags (e.g. --input-type breaks a worker): source mode needs only the
      // export condition (the bootstrap registers tsx itself), built code none.
      execArgv: sourceMode ? ['--conditions=rdl-source'] : [],
      stdout: false,
      stderr: false,
    });
    // Referenced while starting (the caller is waiting for it), unref'd once idle.
    this.ready = new Promise<void>((resolve, reject) => {
      const onStatus = (msg: WorkerStatus | WorkerReply): void => {
        if ('id' in msg) return;
        this.worker.off('message', onStatus);
        if (msg.type === 'ready') {
          if (this.pending.size === 0) this.worker.unref();
          resolve();
        } else reject(new Error(msg.message));
      };
      this.worker.on('message', onStatus);
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} while starting`)));
    });
    this.worker.on('message', (msg: WorkerStatus | WorkerReply) => {
      if (!('id' in msg)) return;
      const waiting = this.pending.get(msg.id);
      if (!waiting) return;
      this.pending.delete(msg.id);
      if (this.pending.size === 0) this.worker.unref();
      if (msg.type === 'error') waiting.reject(new Error(`worker thread: ${msg.message}`));
      else waiting.resolve(msg.output);
    });
    const failAll = (err: Error): void => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', (err) => failAll(err instanceof Error ? err : new Error(String(err))));
    this.worker.on('exit', (code) => failAll(new Error(`worker thread exited with code ${code}`)));
  }

  call(request: Request, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...request, id } as WorkerRequest, transfer);
    });
  }

  /** Imports worker module `url` on this thread (once). */
  load(url: string): Promise<void> {
    let loading = this.loaded.get(url);
    if (!loading) {
      loading = this.call({ type: 'load', module: url }).then(() => undefined);
      this.loaded.set(url, loading);
    }
    return loading;
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

/** The script a worker starts, the module it loads, and the runtime entry it shares with the task modules. */
function threadFiles(): { file: string; entry: string; runtime: string } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return {
      file: fileURLToPath(new URL('./worker-boot.mjs', here)),
      entry: new URL('./worker-thread.ts', here).href,
      runtime: new URL('../index.ts', here).href,
    };
  }
  // Built: this code is bundled into dist/index.js; the thread's entry is its own entry beside it.
  const file = fileURLToPath(new URL('./workers/worker-thread.js', here));
  return { file, entry: file, runtime: here };
}

let pool: { backend: BackendName; workers: PoolWorker[] } | undefined;
let warned = false;

/**
 * `count` started workers for `backend` (reused across calls) with worker module `tasks`
 * loaded, or [] when they cannot start: the caller then does all the work itself.
 */
export async function startWorkers<S extends TaskSpec<S>>(
  tasks: TaskModule<S>,
  count: number,
  backend: BackendName,
): Promise<TaskWorker<S>[]> {
  if (count <= 0) return [];
  if (pool && pool.backend !== backend) await shutdownWorkers();
  pool ??= { backend, workers: [] };
  try {
    const { file } = threadFiles();
    if (!existsSync(file)) throw new Error(`${file} is missing`);
    while (pool.workers.length < count) pool.workers.push(new PoolWorker(backend));
    const workers = pool.workers.slice(0, count);
    await Promise.all(workers.map((w) => w.ready));
    await Promise.all(workers.map((w) => w.load(tasks.url)));
    return workers.map((w) => ({
      run: (task, input, transfer) => w.call({ type: 'run', module: tasks.url, task, input }, transfer) as Promise<never>,
    }));
  } catch (err) {
    await shutdownWorkers();
    if (!warned) {
      warned = true;
      process.stderr.write(`[rdl] worker threads unavailable, using one thread: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    return [];
  }
}

/**
 * Workers to use beside the calling thread when `threads` threads are wanted in all (default
 * `defaultThreads`): none unless the active tfjs backend is the one `initBackend` started,
 * which is what each worker starts.
 */
export async function helperWorkers<S extends TaskSpec<S>>(tasks: TaskModule<S>, threads?: number): Promise<TaskWorker<S>[]> {
  const backend = getBackendInfo()?.name;
  if (backend === undefined || tf.getBackend() !== backend) return [];
  return startWorkers(tasks, resolveThreads(threads, backend) - 1, backend);
}

/** Stops the worker threads (they are unref'd when idle, so this is only needed to free memory). */
export async function shutdownWorkers(): Promise<void> {
  const workers = pool?.workers ?? [];
  pool = undefined;
  await Promise.all(workers.map((w) => w.terminate()));
}
