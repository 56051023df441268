import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, shutdownWorkers, startWorkers } from '@rdl/runtime';
import { fillDropoutMask, hiddenFeatures, LeNet, mcDropoutProbs, predictProbs, trainClassifier } from '../src/index.js';
import { lenetWorker } from '../src/parallel/lenet-worker-spec.js';
import { gradientPart } from '../src/training/lenet-tasks.js';
import { HostAdam } from '../src/training/host-adam.js';
import { loadMnist } from '../bench/mnist-idx.js';
import { maxAbsDiff } from './max-abs-diff.js';

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

describe('dropout masks', () => {
  it('draws masks at the requested rate, seeded, scaled by 1/(1-p)', () => {
    const m = fillDropoutMask(new Float32Array(100_001), 0.3, 9);
    let dropped = 0;
    for (const v of m) {
      if (v === 0) dropped++;
      else expect(v).toBeCloseTo(1 / 0.7, 6);
    }
    const se = Math.sqrt((0.3 * 0.7) / m.length);
    expect(Math.abs(dropped / m.length - 0.3)).toBeLessThan(4 * se);
    expect(fillDropoutMask(new Float32Array(101), 0.3, 9)).toEqual(m.subarray(0, 101));
    expect(fillDropoutMask(new Float32Array(5), 0, 9)).toEqual(new Float32Array(5).fill(1));
    expect(() => fillDropoutMask(new Float32Array(5), 1, 9)).toThrow(/rate/);
  });
});

describe('HostAdam', () => {
  it('matches tf.train.adam step for step (summing gradient parts first)', async () => {
    await initBackend({ backend: 'wasm' });
    const sizes = [7, 3];
    const start = sizes.map((n, k) => Float32Array.from({ length: n }, (_, i) => Math.sin(i + 10 * k)));
    const vars = start.map((w, k) => tf.variable(tf.tensor1d(w), true, `host_adam_test_${k}`));
    const ref = tf.train.adam(0.01);
    const host = await HostAdam.create(0.01, sizes);
    const hostWeights = start.map((w) => Float32Array.from(w));
    for (let step = 0; step < 5; step++) {
      const partA = sizes.map((n, k) => Float32Array.from({ length: n }, (_, i) => Math.cos(step * 3 + i + k)));
      const partB = sizes.map((n, k) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(step + 2 * i - k)));
      tf.tidy(() =>
        ref.applyGradients(vars.map((v, k) => ({ name: v.name, tensor: tf.add(tf.tensor1d(partA[k]), tf.tensor1d(partB[k])) }))),
      );
      host.step(hostWeights, [partA, partB]);
    }
    const worst = vars.reduce((m, v, k) => Math.max(m, maxAbsDiff(v.dataSync(), hostWeights[k])), 0);
    // The same float32 operations in the same order; a few ulps where rounding of the scalar
    // constants differs: ~1e-7 on weights of size ~1.
    console.log(`HostAdam vs tf.train.adam after 5 steps: max abs difference ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-6);
    expect(maxAbsDiff(hostWeights[0], start[0])).toBeGreaterThan(1e-3); // it did move
    tf.dispose(vars);
    ref.dispose();
  });
});
