/** Messages between the calling thread and a pool worker (see worker-pool.ts, worker-thread.ts). */
import type { BackendName } from '../backend/backend-name.js';

export interface WorkerStart {
  /** The backend to start: the caller's. */
  backend: BackendName;
  /** URL of the @rdl/runtime entry the task modules import, so the thread shares its instance. */
  runtime: string;
  /** Module the source-mode bootstrap imports (unused by the built entry). */
  entry: string;
}

export type WorkerRequest =
  { id: number; type: 'load'; module: string } | { id: number; type: 'run'; module: string; task: string; input: unknown };

export type WorkerReply = { id: number; type: 'done'; output: unknown } | { id: number; type: 'error'; message: string };

export type WorkerStatus = { type: 'ready' } | { type: 'failed'; message: string };
