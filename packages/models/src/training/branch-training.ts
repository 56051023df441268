/**
 * Data-parallel training of a confidence branch (ConfidNet's MLP) on a frozen LeNet: every step's
 * batch is split over the calling thread and the worker threads (each computes the gradient of
 * its rows with the whole batch's dropout masks), the parts are summed and one host Adam pass
 * (HostAdam, rdl's SIMD kernel) updates the flat weights. The schedule (epochs, shuffles,
 * selection) belongs to the caller: this module only steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import { parseOptions } from '@rdl/core';
import { helperWorkers, splitRange, type TaskWorker } from '@rdl/runtime';
import { z } from 'zod';
import type { LeNet } from '../nets/lenet.js';
import type { McHeadWeights } from '../nets/lenet-blocks.js';
import { lenetWorker, type LeNetTasks } from '../parallel/lenet-worker-spec.js';
import { branchGradientPart, branchSourceShape, disposeSource, prepareSource, type BranchSource } from './branch-tasks.js';
import { HostAdam } from './host-adam.js';
import { handled } from '../parallel/handled-replies.js';

export { branchLogit, branchSourceShape, type BranchLayer, type BranchSource } from './branch-tasks.js';

/** LeNet's fully connected head (fc1, fc2) as host arrays: what a branch trains on, frozen. */
export function lenetHeadWeights(model: LeNet): McHeadWeights {
  const w = model.getWeights();
  return { fc1Kernel: w.fc1_kernel.values, fc1Bias: w.fc1_bias.values, fc2Kernel: w.fc2_kernel.values, fc2Bias: w.fc2_bias.values };
}

/**
 * The head with dropout off on N trunk rows: the 500-d post-ReLU hidden features (a branch's
 * deterministic input) and the softmax probabilities, both row-major.
 */
export function lenetHeadFromTrunk(
  head: McHeadWeights,
  trunk: Float32Array,
  batchSize = 1000,
): { hidden: Float32Array; probs: Float32Array } {
  const hiddenSize = head.fc1Bias.length;
  const trunkSize = head.fc1Kernel.length / hiddenSize;
  const classes = head.fc2Bias.length;
  if (trunk.length % trunkSize !== 0)
    throw new Error(`lenetHeadFromTrunk: trunk has ${trunk.length} values, not a multiple of ${trunkSize}`);
  const count = trunk.length / trunkSize;
  const hidden = new Float32Array(count * hiddenSize);
  const probs = new Float32Array(count * classes);
  const w = tf.tidy(() => ({
    k1: tf.tensor2d(head.fc1Kernel, [trunkSize, hiddenSize]),
    b1: tf.tensor1d(head.fc1Bias),
    k2: tf.tensor2d(head.fc2Kernel, [hiddenSize, classes]),
    b2: tf.tensor1d(head.fc2Bias),
  }));
  try {
    for (let start = 0; start < count; start += batchSize) {
      const end = Math.min(count, start + batchSize);
      const [h, p] = tf.tidy(() => {
        const x = tf.tensor2d(trunk.subarray(start * trunkSize, end * trunkSize), [end - start, trunkSize]);
        const hTensor = tf.relu(tf.add(tf.matMul(x, w.k1), w.b1)) as tf.Tensor2D;
        return [hTensor, tf.softmax(tf.add(tf.matMul(hTensor, w.k2), w.b2))];
      });
      hidden.set(h.dataSync(), start * hiddenSize);
      probs.set(p.dataSync(), start * classes);
      tf.dispose([h, p]);
    }
  } finally {
    tf.dispose(Object.values(w));
  }
  return { hidden, probs };
}

export interface BranchTrainerOptions {
  source: BranchSource;
  /** Layer widths [D, h₁, …, 1]; D must match the source's input width. */
  sizes: number[];
  /** Initial flat parameters, kernel [in, out] then bias per layer; copied. */
  weights: Float32Array[];
  learningRate: number;
  /** Threads (the caller's + workers), default `RDL_THREADS` or min(2, cores). */
  threads?: number;
}

export interface BranchTrainer {
  /** Rows of the source. */
  readonly count: number;
  /** One Adam step on rows `indices` of the source with dropout masks from `seed`; returns the batch's mean loss. */
  step(indices: Int32Array, seed: number): Promise<number>;
  /** The current flat parameters (live: copy to keep a snapshot). */
  readonly weights: readonly Float32Array[];
  /** Frees this thread's tensors (the workers keep theirs until the next branch's data). */
  dispose(): void;
}

const optionsSchema = z.object({
  sizes: z.array(z.number().int().positive()).min(2),
  learningRate: z.number().positive(),
  threads: z.number().int().positive().optional(),
});

export async function createBranchTrainer(opts: BranchTrainerOptions): Promise<BranchTrainer> {
  const o = parseOptions(
    optionsSchema,
    { sizes: opts.sizes, learningRate: opts.learningRate, threads: opts.threads },
    'createBranchTrainer options',
  );
  const { count, inputSize } = branchSourceShape(opts.source);
  if (o.sizes[0] !== inputSize)
    throw new Error(`createBranchTrainer options: sizes[0] = ${o.sizes[0]}, but the source gives ${inputSize} inputs`);
  if (o.sizes[o.sizes.length - 1] !== 1) throw new Error('createBranchTrainer options: the last layer must have one output');
  const weights = opts.weights.map((w) => Float32Array.from(w));
  const expected = o.sizes.slice(1).flatMap((out, k) => [o.sizes[k] * out, out]);
  if (weights.length !== expected.length || weights.some((w, k) => w.length !== expected[k])) {
    throw new Error(`createBranchTrainer options: weights do not match sizes [${o.sizes.join(', ')}]`);
  }
  const prepared = prepareSource(opts.source);
  const workers: TaskWorker<LeNetTasks>[] = await helperWorkers(lenetWorker, o.threads);
  await Promise.all(workers.map((w) => w.run('branch-data', { source: opts.source, sizes: o.sizes })));
  const adam = await HostAdam.create(o.learningRate, expected);
  return {
    count,
    weights,
    async step(indices, seed) {
      const parts = splitRange(indices.length, workers.length + 1);
      const remote = handled(
        workers.flatMap((w, k) => {
          const [p0, p1] = parts[k + 1];
          if (p1 === p0) return [];
          return [w.run('branch-grad', { weights, indices: indices.slice(p0, p1), offset: p0, total: indices.length, seed })];
        }),
      );
      const own = await branchGradientPart(prepared, weights, o.sizes, indices.subarray(parts[0][0], parts[0][1]), 0, indices.length, seed);
      const replies = await Promise.all(remote);
      let loss = own.loss;
      for (const r of replies) loss += r.loss;
      adam.step(weights, [own.grads, ...replies.map((r) => r.grads)]);
      return loss;
    },
    dispose: () => disposeSource(prepared),
  };
}
