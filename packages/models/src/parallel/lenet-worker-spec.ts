/**
 * The tasks of LeNet's worker module (lenet-worker.ts), which runs on @rdl/runtime's worker
 * pool, and the calling thread's handle on it.
 */
import { taskModule } from '@rdl/runtime';
import type { BranchSource } from '../training/branch-tasks.js';

/** LeNet weights in `variables()` order, plus the config a replica needs. */
export interface ReplicaState {
  dropout: number;
  weights: Float32Array[];
}

interface ImageSlice {
  pixels: Uint8Array;
  count: number;
  batchSize: number;
}

export interface LeNetTasks {
  weights: { input: ReplicaState; output: void };
  'train-data': { input: { pixels: Uint8Array; labels: Uint8Array }; output: void };
  grad: { input: { indices: Int32Array; offset: number; total: number; seed: number }; output: { loss: number; grads: Float32Array[] } };
  predict: { input: ImageSlice; output: Float32Array };
  hidden: { input: ImageSlice; output: Float32Array };
  trunk: { input: ImageSlice; output: Float32Array };
  /** The rows a confidence branch learns from, and its layer widths (see ../training/branch-tasks.ts). */
  'branch-data': { input: { source: BranchSource; sizes: number[] }; output: void };
  'branch-grad': {
    input: { weights: Float32Array[]; indices: Int32Array; offset: number; total: number; seed: number };
    output: { loss: number; grads: Float32Array[] };
  };
  /**
   * ConfidNet phase 2 (see ../training/encoder-tasks.ts): the training images and TCP targets, and
   * the weights in shared memory (the LeNet copy in `variables()` order and the flat branch), which
   * the caller updates between steps; `encoder-grad` reads them as they are when it runs. Kept per
   * fine-tuner `id` until `encoder-release`, so fine-tuners alive at once do not mix their data.
   */
  'encoder-data': {
    input: {
      id: number;
      pixels: Uint8Array;
      tcp: Float32Array;
      lenet: ReplicaState;
      branch: Float32Array[];
      sizes: number[];
      trainEncoder: boolean;
    };
    output: void;
  };
  'encoder-release': { input: { id: number }; output: void };
  'encoder-grad': { input: { id: number; indices: Int32Array; total: number }; output: { loss: number; grads: Float32Array[] } };
  mc: { input: ImageSlice & { passes: number; seeds: Int32Array }; output: Float32Array };
}

// Source mode: beside this file. Built: this code is bundled into dist/index.js and the worker
// module is its own entry, dist/parallel/lenet-worker.js. A classic-script browser bundle has no
// module URL (and its @rdl/runtime starts no worker threads), so the module is named but never loaded.
const here = import.meta.url as string | undefined;
export const lenetWorker = taskModule<LeNetTasks>(
  here === undefined
    ? 'about:blank#rdl-lenet-worker'
    : here.endsWith('.ts')
      ? new URL('./lenet-worker.ts', here)
      : new URL('./parallel/lenet-worker.js', here),
);
