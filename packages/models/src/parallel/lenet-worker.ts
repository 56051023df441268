/**
 * LeNet's worker module for @rdl/runtime's worker pool: a LeNet replica on the worker thread,
 * running the single-thread tasks of ../training/lenet-tasks.ts on the slices it is sent.
 */
import * as tf from '@tensorflow/tfjs-core';
import { defineTasks, transfer, type TaskInput } from '@rdl/runtime';
import { LeNet, LENET_WEIGHT_SHAPES } from '../nets/lenet.js';
import { wasmSimdBlocks } from '../nets/lenet-kernels/wasm-simd-blocks.js';
import { branchGradientPart, disposeSource, prepareSource, type PreparedSource } from '../training/branch-tasks.js';
import { encoderGradientPart } from '../training/encoder-tasks.js';
import { gradientPart, hiddenSlice, mcSlice, predictSlice, trunkSlice } from '../training/lenet-tasks.js';
import type { LeNetTasks, ReplicaState } from './lenet-worker-spec.js';

let replica: LeNet | undefined;
let trainPixels: Uint8Array | undefined;
let trainLabels: Uint8Array | undefined;
const encoderData = new Map<number, TaskInput<LeNetTasks, 'encoder-data'>>();
let branch: { prepared: PreparedSource; sizes: number[] } | undefined;

function model(): LeNet {
  if (!replica) throw new Error('worker has no LeNet weights yet');
  return replica;
}

function setState({ dropout, weights }: ReplicaState): void {
  if (!replica || replica.config.dropout !== dropout) {
    replica?.dispose();
    replica = LeNet.create({ dropout, seed: 0 });
  }
  const names = Object.keys(LENET_WEIGHT_SHAPES);
  replica.setWeights(Object.fromEntries(names.map((name, i) => [name, { shape: [...LENET_WEIGHT_SHAPES[name]], values: weights[i] }])));
}

const moved = (values: Float32Array) => transfer(values, [values.buffer as ArrayBuffer]);

export default defineTasks<LeNetTasks>({
  weights: (state) => setState(state),
  'train-data': ({ pixels, labels }) => {
    trainPixels = pixels;
    trainLabels = labels;
  },
  grad: async ({ indices, offset, total, seed }) => {
    if (!trainPixels || !trainLabels) throw new Error('worker has no training data');
    const part = await gradientPart(model(), trainPixels, trainLabels, indices, offset, total, seed);
    const grads = await Promise.all(part.grads.map(async (g) => (await g.data()) as Float32Array));
    tf.dispose(part.grads);
    return transfer(
      { loss: part.loss, grads },
      grads.map((g) => g.buffer as ArrayBuffer),
    );
  },
  predict: async ({ pixels, count, batchSize }) => moved(await predictSlice(model(), pixels, count, batchSize)),
  hidden: async ({ pixels, count, batchSize }) => moved(await hiddenSlice(model(), pixels, count, batchSize)),
  trunk: async ({ pixels, count, batchSize }) => moved(await trunkSlice(model(), pixels, count, batchSize)),
  'branch-data': ({ source, sizes }) => {
    if (branch) disposeSource(branch.prepared);
    branch = { prepared: prepareSource(source), sizes };
  },
  'branch-grad': async ({ weights, indices, offset, total, seed }) => {
    if (!branch) throw new Error('worker has no branch training data');
    const part = await branchGradientPart(branch.prepared, weights, branch.sizes, indices, offset, total, seed);
    return transfer(
      part,
      part.grads.map((g) => g.buffer as ArrayBuffer),
    );
  },
  'encoder-data': (data) => {
    encoderData.set(data.id, data);
  },
  'encoder-release': ({ id }) => {
    encoderData.delete(id);
  },
  'encoder-grad': async ({ id, indices, total }) => {
    const data = encoderData.get(id);
    if (!data) throw new Error(`worker has no data of encoder fine-tuner ${id}`);
    const { pixels, tcp, lenet, branch: weights, sizes, trainEncoder } = data;
    // The caller stepped the shared weights since the last part (and other tasks may have replaced the replica's).
    setState(lenet);
    const blocks = await wasmSimdBlocks();
    const part = await encoderGradientPart(model(), weights, sizes, pixels, tcp, indices, total, { trainEncoder, blocks });
    return transfer(
      part,
      part.grads.map((g) => g.buffer as ArrayBuffer),
    );
  },
  mc: async ({ pixels, count, passes, batchSize, seeds }) => moved(await mcSlice(model(), pixels, count, passes, batchSize, seeds)),
});
