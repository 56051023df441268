import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, shutdownWorkers, startWorkers } from '@rdl/runtime';
import { hiddenFeatures, LeNet, mcDropoutProbs, predictProbs, trainClassifier } from '../../src/index.js';
import { lenetWorker } from '../../src/parallel/lenet-worker-spec.js';
import { gradientPart } from '../../src/training/lenet-tasks.js';
import { loadMnist } from '../../bench/mnist-idx.js';
import { maxAbsDiff } from '../max-abs-diff.js';

const train = loadMnist('train', 1280);
const test = loadMnist('test', 300);

describe('LeNet on two threads (wasm)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });
  afterAll(async () => {
    await shutdownWorkers();
  });

  it('loads the LeNet worker module on a pool thread', async () => {
    expect(await startWorkers(lenetWorker, 1, 'wasm')).toHaveLength(1);
  });

  it('gives identical MC dropout, probabilities and features on one and two threads', async () => {
    const net = LeNet.create({ dropout: 0.5, seed: 3 });
    await trainClassifier(net, { ...train, count: 256 }, { epochs: 1, batchSize: 128, learningRate: 1e-3, seed: 1, threads: 1 });
    const n = 37; // odd: unequal slices
    const mc1 = await mcDropoutProbs(net, test.pixels, n, { passes: 5, batchSize: 16, seed: 4, threads: 1 });
    const mc2 = await mcDropoutProbs(net, test.pixels, n, { passes: 5, batchSize: 16, seed: 4, threads: 2 });
    expect(mc2).toEqual(mc1);
    expect(await predictProbs(net, test.pixels, n, { batchSize: 16, threads: 2 })).toEqual(
      await predictProbs(net, test.pixels, n, { batchSize: 16, threads: 1 }),
    );
    expect(await hiddenFeatures(net, test.pixels, n, { batchSize: 16, threads: 2 })).toEqual(
      await hiddenFeatures(net, test.pixels, n, { batchSize: 16, threads: 1 }),
    );
    net.dispose();
  });

  it('sums the gradients of a split batch to the whole batch gradient, with the same dropout masks', async () => {
    const net = LeNet.create({ dropout: 0.5, seed: 5 });
    const idx = Int32Array.from({ length: 96 }, (_, i) => (i * 13) % train.count);
    const whole = await gradientPart(net, train.pixels, train.labels, idx, 0, 96, 11);
    const a = await gradientPart(net, train.pixels, train.labels, idx.subarray(0, 40), 0, 96, 11);
    const b = await gradientPart(net, train.pixels, train.labels, idx.subarray(40), 40, 96, 11);
    expect(Math.abs(a.loss + b.loss - whole.loss)).toBeLessThan(1e-5);
    let worst = 0;
    for (let v = 0; v < whole.grads.length; v++) {
      const sum = tf.tidy(() => tf.add(a.grads[v], b.grads[v]).dataSync());
      const ref = whole.grads[v].dataSync();
      let scale = 0;
      for (const r of ref) scale = Math.max(scale, Math.abs(r));
      worst = Math.max(worst, maxAbsDiff(sum, ref) / scale);
    }
    console.log(`split-batch gradient: max relative difference ${worst.toExponential(2)}`);
    // float32 summation order only: ~1e-7 relative; 1e-5 leaves room without hiding a wrong mask.
    expect(worst).toBeLessThan(1e-5);
    tf.dispose([...whole.grads, ...a.grads, ...b.grads]);
    net.dispose();
  });

  it('trains on two threads along the same path as on one thread', async () => {
    const run = async (threads: number): Promise<number[]> => {
      const net = LeNet.create({ dropout: 0.5, seed: 8 });
      const { losses } = await trainClassifier(
        net,
        { ...train, count: 640 },
        { epochs: 1, batchSize: 128, learningRate: 1e-3, seed: 2, threads },
      );
      net.dispose();
      return losses;
    };
    const one = await run(1);
    const two = await run(2);
    expect(two).toHaveLength(5);
    // Step 1 is the same computation; later steps drift only by float32 rounding.
    expect(Math.abs(two[0] - one[0])).toBeLessThan(1e-5);
    expect(maxAbsDiff(two, one)).toBeLessThan(1e-3);
    expect(two[4]).toBeLessThan(two[0]);
  });
});
