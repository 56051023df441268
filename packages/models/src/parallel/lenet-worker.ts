/**
 * Worker-thread entry: owns its own tfjs backend (the same one as the caller) and a LeNet replica,
 * and runs the single-thread tasks of training/lenet-tasks.ts on the slices it is sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend/init-backend.js';
import { LeNet, LENET_WEIGHT_SHAPES } from '../nets/lenet.js';
import { gradientPart, hiddenSlice, mcSlice, predictSlice } from '../training/lenet-tasks.js';
import type { WorkerReply, WorkerRequest, WorkerStart, WorkerStatus } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('lenet-worker must run in a worker thread');
const start = workerData as WorkerStart;

let replica: LeNet | undefined;
let trainPixels: Uint8Array | undefined;
let trainLabels: Uint8Array | undefined;

function model(): LeNet {
  if (!replica) throw new Error('worker has no LeNet weights yet');
  return replica;
}

function setState(dropout: number, weights: Float32Array[]): void {
  if (!replica || replica.config.dropout !== dropout) {
    replica?.dispose();
    replica = LeNet.create({ dropout, seed: 0 });
  }
  const names = Object.keys(LENET_WEIGHT_SHAPES);
  replica.setWeights(Object.fromEntries(names.map((name, i) => [name, { shape: [...LENET_WEIGHT_SHAPES[name]], values: weights[i] }])));
}

async function handle(req: WorkerRequest): Promise<{ reply: WorkerReply; transfer: ArrayBuffer[] }> {
  switch (req.type) {
    case 'weights':
      setState(req.state.dropout, req.state.weights);
      return { reply: { id: req.id, type: 'done' }, transfer: [] };
    case 'train-data':
      trainPixels = req.pixels;
      trainLabels = req.labels;
      return { reply: { id: req.id, type: 'done' }, transfer: [] };
    case 'grad': {
      if (!trainPixels || !trainLabels) throw new Error('worker has no training data');
      const part = await gradientPart(model(), trainPixels, trainLabels, req.indices, req.offset, req.total, req.seed);
      const grads = await Promise.all(part.grads.map(async (g) => (await g.data()) as Float32Array));
      tf.dispose(part.grads);
      return { reply: { id: req.id, type: 'grad', loss: part.loss, grads }, transfer: grads.map((g) => g.buffer as ArrayBuffer) };
    }
    case 'predict':
    case 'hidden':
    case 'mc': {
      const values =
        req.type === 'predict'
          ? await predictSlice(model(), req.pixels, req.count, req.batchSize)
          : req.type === 'hidden'
            ? await hiddenSlice(model(), req.pixels, req.count, req.batchSize)
            : await mcSlice(model(), req.pixels, req.count, req.passes, req.batchSize, req.seeds);
      return { reply: { id: req.id, type: 'values', values }, transfer: [values.buffer as ArrayBuffer] };
    }
  }
}

// One request at a time, in order: tfjs state is not re-entrant across awaits of two tasks.
let queue: Promise<void> = Promise.resolve();
port.on('message', (req: WorkerRequest) => {
  queue = queue.then(async () => {
    try {
      const { reply, transfer } = await handle(req);
      port.postMessage(reply, transfer);
    } catch (err) {
      port.postMessage({ id: req.id, type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
    }
  });
});

try {
  await initBackend({ backend: start.backend, quiet: true });
  port.postMessage({ type: 'ready' } satisfies WorkerStatus);
} catch (err) {
  port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies WorkerStatus);
}
