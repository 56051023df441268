/**
 * Worker threads for LeNet work. Under Node the wasm backend runs on one thread, so the second
 * core is used by a worker thread that owns its own backend and LeNet replica: the caller's thread
 * takes the first slice of every job and the workers the others. Workers start lazily, are
 * shared by the whole process, and are unref'd while idle so they never keep the process alive.
 *
 * Built packages start dist/parallel/lenet-worker.js; in the monorepo's source mode a small
 * bootstrap registers tsx first. A worker that cannot start is reported once and the work runs
 * on the calling thread instead.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BackendName } from '../backend/init-backend.js';
import type { WorkerReply, WorkerRequest, WorkerStart, WorkerStatus } from './worker-protocol.js';

type Pending = { resolve: (reply: WorkerReply) => void; reject: (err: Error) => void };

type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

class LeNetWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;
  readonly ready: Promise<void>;

  constructor(backend: BackendName) {
    const { file, entry } = workerFiles();
    const start: WorkerStart = { backend, entry };
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
      if (msg.type === 'error') waiting.reject(new Error(`LeNet worker: ${msg.message}`));
      else waiting.resolve(msg);
    });
    const failAll = (err: Error): void => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', (err) => failAll(err instanceof Error ? err : new Error(String(err))));
    this.worker.on('exit', (code) => failAll(new Error(`LeNet worker exited with code ${code}`)));
  }

  call(request: Request, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...request, id } as WorkerRequest, transfer);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

/** The worker script to start and the module it loads (they differ only in source mode). */
function workerFiles(): { file: string; entry: string } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { file: fileURLToPath(new URL('./worker-boot.mjs', here)), entry: new URL('./lenet-worker.ts', here).href };
  }
  // Built: this code is bundled into dist/index.js; the worker is its own entry beside it.
  const file = fileURLToPath(new URL('./parallel/lenet-worker.js', here));
  return { file, entry: file };
}

let pool: { backend: BackendName; workers: LeNetWorker[] } | undefined;
let warned = false;

/**
 * `count` started workers for `backend` (reused across calls), or [] when they cannot start —
 * the caller then does all the work itself.
 */
export async function lenetWorkers(count: number, backend: BackendName): Promise<LeNetWorker[]> {
  if (count <= 0) return [];
  if (pool && pool.backend !== backend) await shutdownLeNetWorkers();
  pool ??= { backend, workers: [] };
  try {
    if (!existsSync(workerFiles().file)) throw new Error(`${workerFiles().file} is missing`);
    while (pool.workers.length < count) pool.workers.push(new LeNetWorker(backend));
    const workers = pool.workers.slice(0, count);
    await Promise.all(workers.map((w) => w.ready));
    return workers;
  } catch (err) {
    await shutdownLeNetWorkers();
    if (!warned) {
      warned = true;
      process.stderr.write(`[rdl] worker threads unavailable, using one thread: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    return [];
  }
}

/** Stops the worker threads (they are unref'd when idle, so this is only needed to free memory). */
export async function shutdownLeNetWorkers(): Promise<void> {
  const workers = pool?.workers ?? [];
  pool = undefined;
  await Promise.all(workers.map((w) => w.terminate()));
}

export type { LeNetWorker };
