/**
 * ConfidNet's second phase (Corbière et al. 2019): a copy of LeNet's encoder (conv1, conv2, fc1 →
 * ReLU) fine-tuned jointly with the confidence branch on MSE(σ(branch(encoder(x))), TCP), dropout
 * off. The classifier keeps its own encoder, so its predictions and the TCP targets do not move;
 * only the copy and the branch learn. One Adam step per batch (the schedule is the caller's
 * `fitAsync`), through LeNet's training blocks. On one thread: tfjs autodiff and `tfAdam`. On
 * several: each thread the gradient of its rows (`encoderGradientPart`), summed into one host
 * Adam step (`HostAdam`), as LeNet's classifier training does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { parseOptions } from '@rdl/core';
import { helperWorkers, splitRange, type TaskWorker } from '@rdl/runtime';
import { z } from 'zod';
import { LeNet, type LeNetWeights } from '../nets/lenet.js';
import { wasmSimdBlocks } from '../nets/lenet-kernels/wasm-simd-blocks.js';
import { lenetWorker, type LeNetTasks } from '../parallel/lenet-worker-spec.js';
import type { BranchLayer } from './branch-tasks.js';
import { encoderBatch, encoderBranchLoss, encoderGradientPart, ENCODER_WEIGHT_NAMES } from './encoder-tasks.js';
import { HostAdam } from './host-adam.js';
import { minimize, tfAdam } from './tf-adam.js';
import { handled } from '../parallel/handled-replies.js';

export { encoderBranchLoss, encoderGradientPart, ENCODER_WEIGHT_NAMES, type EncoderGradientPart } from './encoder-tasks.js';

export interface EncoderFineTunerOptions {
  /** The trained LeNet's weights: the copy starts from them (fc2 is kept but never trained). */
  lenet: LeNetWeights;
  /** LeNet's dropout rate (only stored with the copy; phase 2 runs with dropout off). */
  dropout: number;
  /** Layer widths [500, h₁, …, 1] of the branch. */
  sizes: number[];
  /** The phase-1 branch's flat parameters, kernel [in, out] then bias per layer; copied. */
  branch: Float32Array[];
  learningRate: number;
  /** false keeps the encoder copy frozen and steps the branch only (a control: the gain of more branch training alone). Default true. */
  trainEncoder?: boolean;
  /**
   * Threads (the caller's + worker threads), default `RDL_THREADS` or min(2, cores). One thread:
   * tfjs gradients and `tfAdam`. Several: each step's batch is split across them and the gradient
   * parts summed into one host Adam step: the same path up to float32 rounding (the two Adam
   * implementations round differently), deterministic for a given thread count.
   */
  threads?: number;
}

export interface EncoderFineTuner {
  /** The encoder copy (a whole LeNet; only conv1, conv2, fc1 change). Score with `hiddenFeatures(tuner.encoder, …)`. */
  readonly encoder: LeNet;
  /**
   * One Adam step on images `indices` of `pixels` (N×784 uint8) against `tcp` (N targets); returns
   * the batch's mean loss. With worker threads, `pixels` and `tcp` are sent to them on the first
   * call and again only when another array is passed: do not change their contents between calls.
   */
  step(pixels: Uint8Array, tcp: Float32Array, indices: Int32Array): Promise<number>;
  /** Gradients of the batch's mean loss, without stepping: encoder (ENCODER_WEIGHT_NAMES order, unless frozen) then branch (kernel, bias per layer). */
  gradients(pixels: Uint8Array, tcp: Float32Array, indices: Int32Array): Promise<{ loss: number; grads: Float32Array[] }>;
  /** Copies of the current branch parameters (flat, kernel then bias per layer). */
  branchWeights(): Float32Array[];
  dispose(): void;
}

const optionsSchema = z.object({
  dropout: z.number().min(0).lt(1),
  sizes: z.array(z.number().int().positive()).min(2),
  learningRate: z.number().positive(),
  threads: z.number().int().positive().optional(),
});

/** Names each fine-tuner's data on the workers. */
let nextTunerId = 1;

export async function createEncoderFineTuner(opts: EncoderFineTunerOptions): Promise<EncoderFineTuner> {
  const o = parseOptions(
    optionsSchema,
    { dropout: opts.dropout, sizes: opts.sizes, learningRate: opts.learningRate, threads: opts.threads },
    'createEncoderFineTuner options',
  );
  const expected = o.sizes.slice(1).flatMap((out, k) => [o.sizes[k] * out, out]);
  if (opts.branch.length !== expected.length || opts.branch.some((w, k) => w.length !== expected[k])) {
    throw new Error(`createEncoderFineTuner options: branch weights do not match sizes [${o.sizes.join(', ')}]`);
  }
  const encoder = LeNet.create({ dropout: o.dropout, seed: 0 });
  encoder.setWeights(opts.lenet);
  if (o.sizes[0] !== encoder.hiddenSize) {
    encoder.dispose();
    throw new Error(`createEncoderFineTuner options: sizes[0] = ${o.sizes[0]}, but LeNet's hidden layer has ${encoder.hiddenSize} units`);
  }
  const trainEncoder = opts.trainEncoder !== false;
  const branch: BranchLayer[] = o.sizes.slice(1).map((out, k) => ({
    kernel: tf.variable(tf.tensor2d(opts.branch[2 * k], [o.sizes[k], out]), true) as tf.Variable<tf.Rank.R2>,
    bias: tf.variable(tf.tensor1d(opts.branch[2 * k + 1]), true) as tf.Variable<tf.Rank.R1>,
  }));
  const encoderVars = encoder.variables().slice(0, ENCODER_WEIGHT_NAMES.length);
  const branchVars = branch.flatMap(({ kernel, bias }) => [kernel, bias] as tf.Variable[]);
  const variables = trainEncoder ? [...encoderVars, ...branchVars] : branchVars;
  const blocks = await wasmSimdBlocks();
  const workers: TaskWorker<LeNetTasks>[] = await helperWorkers(lenetWorker, o.threads);
  // Each path keeps its own Adam state: tfjs variables on one thread, host arrays on several.
  const optimizer = workers.length === 0 ? tfAdam({ learningRate: o.learningRate }) : undefined;

  // Several threads: host copies of the weights in shared memory, which the workers read directly
  // (no per-step copy of ≈ 1.1M values to each worker; they only read while this thread waits, and
  // it writes only between steps). `host` (the trained ones, `variables` order) is stepped by
  // HostAdam; the tfjs variables are assigned from it after each step, so `encoder` and
  // `branchWeights()` stay current.
  const shared = (v: tf.Variable): Float32Array => {
    const out = new Float32Array(new SharedArrayBuffer(v.size * 4));
    out.set(v.dataSync() as Float32Array);
    return out;
  };
  const sharedLenet = workers.length > 0 ? encoder.variables().map(shared) : [];
  const sharedBranch = workers.length > 0 ? branchVars.map(shared) : [];
  const host = trainEncoder ? [...sharedLenet.slice(0, ENCODER_WEIGHT_NAMES.length), ...sharedBranch] : sharedBranch;
  const hostAdam =
    workers.length > 0
      ? await HostAdam.create(
          o.learningRate,
          variables.map((v) => v.size),
        )
      : undefined;
  const id = nextTunerId++;
  let sent: { pixels: Uint8Array; tcp: Float32Array } | undefined;
  const parallelGradients = async (
    pixels: Uint8Array,
    tcp: Float32Array,
    indices: Int32Array,
  ): Promise<{ loss: number; parts: Float32Array[][] }> => {
    if (sent?.pixels !== pixels || sent.tcp !== tcp) {
      // Compact copies of the data: a view's whole underlying buffer would be cloned to every worker.
      const data = {
        id,
        pixels: pixels.slice(),
        tcp: tcp.slice(),
        lenet: { dropout: o.dropout, weights: sharedLenet },
        branch: sharedBranch,
        sizes: o.sizes,
        trainEncoder,
      };
      await Promise.all(workers.map((w) => w.run('encoder-data', data)));
      sent = { pixels, tcp };
    }
    const parts = splitRange(indices.length, workers.length + 1);
    const remote = handled(
      workers.flatMap((w, k) => {
        const [p0, p1] = parts[k + 1];
        if (p1 === p0) return [];
        return [w.run('encoder-grad', { id, indices: indices.slice(p0, p1), total: indices.length })];
      }),
    );
    const own = await encoderGradientPart(
      encoder,
      sharedBranch,
      o.sizes,
      pixels,
      tcp,
      indices.subarray(parts[0][0], parts[0][1]),
      indices.length,
      { trainEncoder, blocks },
    );
    const replies = await Promise.all(remote);
    let loss = own.loss;
    for (const r of replies) loss += r.loss;
    return { loss, parts: [own.grads, ...replies.map((r) => r.grads)] };
  };

  return {
    encoder,
    async step(pixels, tcp, indices) {
      if (hostAdam) {
        const { loss, parts } = await parallelGradients(pixels, tcp, indices);
        hostAdam.step(host, parts);
        variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(host[i], v.shape, 'float32'))));
        return loss;
      }
      if (!optimizer) throw new Error('single-thread step without its optimizer');
      const { x, t } = encoderBatch(pixels, tcp, indices);
      try {
        const loss = minimize(optimizer, variables, () => encoderBranchLoss(encoder, branch, x, t, blocks));
        const value = (await loss.data())[0];
        loss.dispose();
        return value;
      } finally {
        tf.dispose([x, t]);
      }
    },
    async gradients(pixels, tcp, indices) {
      if (workers.length > 0) {
        const { loss, parts } = await parallelGradients(pixels, tcp, indices);
        const grads = parts[0].map((g, v) => {
          const sum = Float32Array.from(g);
          for (const part of parts.slice(1)) for (let i = 0; i < sum.length; i++) sum[i] += part[v][i];
          return sum;
        });
        return { loss, grads };
      }
      const { x, t } = encoderBatch(pixels, tcp, indices);
      try {
        const { value, grads } = tf.variableGrads(() => encoderBranchLoss(encoder, branch, x, t, blocks), variables);
        const loss = (await value.data())[0];
        const out = await Promise.all(variables.map(async (v) => Float32Array.from(await grads[v.name].data())));
        tf.dispose([value, ...Object.values(grads)]);
        return { loss, grads: out };
      } finally {
        tf.dispose([x, t]);
      }
    },
    branchWeights: () => branchVars.map((v) => Float32Array.from(v.dataSync())),
    dispose() {
      // Frees the workers' copy of the data; nothing to wait for.
      if (sent) for (const w of workers) w.run('encoder-release', { id }).catch(() => undefined);
      optimizer?.dispose();
      tf.dispose(branchVars);
      encoder.dispose();
    },
  };
}
