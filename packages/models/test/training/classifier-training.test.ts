/**
 * trainClassifier runs on the shared loop (`fitAsync`) and optimizers (`tfAdam`, `HostAdam`).
 * These tests replay the loop it had before, written out here with tf.train.adam's minimize (one
 * thread) and HostAdam on gradientPart (two threads), and require the same weights bit for bit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, permutation } from '@rdl/core';
import { initBackend, shutdownWorkers, splitRange } from '@rdl/runtime';
import { LeNet, trainClassifier, wasmSimdBlocks } from '../../src/index.js';
import { HostAdam } from '../../src/training/host-adam.js';
import { batchTensor, gradientPart } from '../../src/training/lenet-tasks.js';
import { loadMnist } from '../../bench/mnist-idx.js';

const data = { ...loadMnist('train', 200), count: 200 }; // two batches per epoch, the second short
const opts = { epochs: 2, batchSize: 128, learningRate: 1e-3, seed: 7 };

/** The pre-refactor schedule: a permutation per epoch, then one dropout seed per batch, same stream. */
async function replay(step: (idx: Int32Array, seed: number) => Promise<number>): Promise<number[]> {
  const rng = createRng(opts.seed);
  const losses: number[] = [];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const order = permutation(data.count, rng);
    for (let b = 0; b < Math.ceil(data.count / opts.batchSize); b++) {
      const idx = order.subarray(b * opts.batchSize, Math.min((b + 1) * opts.batchSize, data.count));
      losses.push(await step(idx, rng.int(2147483647)));
    }
  }
  return losses;
}

async function weightsOf(net: LeNet): Promise<Float32Array[]> {
  return Promise.all(net.variables().map(async (v) => (await v.data()) as Float32Array));
}

describe('trainClassifier on the shared loop and optimizers', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });
  afterAll(async () => {
    await shutdownWorkers();
  });

  it('one thread: the same weights and losses as tf.train.adam().minimize over the old loop, bit for bit', async () => {
    const net = LeNet.create({ dropout: 0.5, seed: 3 });
    const { losses, epochLosses } = await trainClassifier(net, data, { ...opts, threads: 1 });

    const ref = LeNet.create({ dropout: 0.5, seed: 3 });
    const blocks = await wasmSimdBlocks();
    const adam = tf.train.adam(opts.learningRate);
    const refLosses = await replay(async (idx, seed) => {
      const x = batchTensor(data.pixels, idx);
      const y = tf.tidy(() =>
        tf.oneHot(
          tf.tensor1d(
            Int32Array.from(idx, (i) => data.labels[i]),
            'int32',
          ),
          10,
        ),
      );
      const cost = adam.minimize(
        () => tf.losses.softmaxCrossEntropy(y, ref.logits(x, { training: true, seed, blocks })) as tf.Scalar,
        true,
        ref.variables(),
      );
      tf.dispose([x, y]);
      const loss = (await (cost as tf.Scalar).data())[0];
      cost?.dispose();
      return loss;
    });
    adam.dispose();

    expect(losses).toEqual(refLosses);
    expect(epochLosses).toEqual([(refLosses[0] + refLosses[1]) / 2, (refLosses[2] + refLosses[3]) / 2]);
    const [w, r] = [await weightsOf(net), await weightsOf(ref)];
    w.forEach((a, k) => expect(a).toEqual(r[k]));
    expect(maxChange(w[0], LeNet.create({ dropout: 0.5, seed: 3 }))).toBeGreaterThan(1e-4);
    net.dispose();
    ref.dispose();
  });

  it('two threads: the same weights and losses as HostAdam on the summed gradient parts, bit for bit', async () => {
    const net = LeNet.create({ dropout: 0.5, seed: 3 });
    const { losses } = await trainClassifier(net, data, { ...opts, threads: 2 });

    // The worker computes its part with gradientPart on a replica of the same weights; here both
    // parts run on this thread.
    const ref = LeNet.create({ dropout: 0.5, seed: 3 });
    const vars = ref.variables();
    const hostWeights = (await weightsOf(ref)).map((w) => Float32Array.from(w));
    const adam = await HostAdam.create(
      opts.learningRate,
      vars.map((v) => v.size),
    );
    const refLosses = await replay(async (idx, seed) => {
      const partsOut: Float32Array[][] = [];
      let loss = 0;
      for (const [p0, p1] of splitRange(idx.length, 2)) {
        const part = await gradientPart(ref, data.pixels, data.labels, idx.subarray(p0, p1), p0, idx.length, seed);
        partsOut.push(await Promise.all(part.grads.map(async (g) => (await g.data()) as Float32Array)));
        tf.dispose(part.grads);
        loss += part.loss;
      }
      adam.step(hostWeights, partsOut);
      vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(hostWeights[i], v.shape, 'float32'))));
      return loss;
    });

    expect(losses).toEqual(refLosses);
    const [w, r] = [await weightsOf(net), await weightsOf(ref)];
    w.forEach((a, k) => expect(a).toEqual(r[k]));
    net.dispose();
    ref.dispose();
  });
});

function maxChange(trained: Float32Array, fresh: LeNet): number {
  const start = fresh.variables()[0].dataSync();
  let worst = 0;
  trained.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - start[i]))));
  fresh.dispose();
  return worst;
}
