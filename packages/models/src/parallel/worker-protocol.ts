/** Messages between the calling thread and a LeNet worker thread (see lenet-workers.ts). */
import type { BackendName } from '../backend/init-backend.js';

export interface WorkerStart {
  backend: BackendName;
  /** Module the source-mode bootstrap imports (unused by the built entry). */
  entry: string;
}

/** LeNet weights in `variables()` order, plus the config a replica needs. */
export interface ReplicaState {
  dropout: number;
  weights: Float32Array[];
}

export type WorkerRequest =
  | { id: number; type: 'weights'; state: ReplicaState }
  | { id: number; type: 'train-data'; pixels: Uint8Array; labels: Uint8Array }
  | { id: number; type: 'grad'; indices: Int32Array; offset: number; total: number; seed: number }
  | { id: number; type: 'predict'; pixels: Uint8Array; count: number; batchSize: number }
  | { id: number; type: 'hidden'; pixels: Uint8Array; count: number; batchSize: number }
  | { id: number; type: 'mc'; pixels: Uint8Array; count: number; passes: number; batchSize: number; seeds: Int32Array };

export type WorkerReply =
  | { id: number; type: 'done' }
  | { id: number; type: 'grad'; loss: number; grads: Float32Array[] }
  | { id: number; type: 'values'; values: Float32Array }
  | { id: number; type: 'error'; message: string };

export type WorkerStatus = { type: 'ready' } | { type: 'failed'; message: string };
