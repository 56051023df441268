import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { argmaxRows } from '@rdl/core';
import { initBackend, shutdownWorkers } from '@rdl/runtime';
import {
  createBranchTrainer,
  hiddenFeatures,
  LeNet,
  lenetHeadFromTrunk,
  lenetHeadWeights,
  predictProbs,
  trainClassifier,
  trunkFeatures,
  type BranchSource,
} from '../../src/index.js';
import { branchBatch, branchGradientPart, disposeSource, prepareSource } from '../../src/training/branch-tasks.js';
import { loadMnist } from '../../bench/mnist-idx.js';
import { maxAbsDiff } from '../max-abs-diff.js';

const train = loadMnist('train', 512);

describe('ConfidNet branch on a frozen LeNet (wasm, two threads)', () => {
  let net: LeNet;
  let trunk: Float32Array;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    net = LeNet.create({ dropout: 0.5, seed: 3 });
    await trainClassifier(net, { ...train, count: 256 }, { epochs: 1, batchSize: 128, learningRate: 1e-3, seed: 1, threads: 1 });
    trunk = await trunkFeatures(net, train.pixels, 200, { batchSize: 64, threads: 1 });
  });
  afterAll(async () => {
    net.dispose();
    await shutdownWorkers();
  });

  it('computes the 800-d trunk the same on one and two threads, and the head on it gives LeNet’s features and probabilities', async () => {
    expect(trunk.length).toBe(200 * 800);
    expect(await trunkFeatures(net, train.pixels, 200, { batchSize: 64, threads: 2 })).toEqual(trunk);
    const { hidden, probs } = lenetHeadFromTrunk(lenetHeadWeights(net), trunk);
    expect(maxAbsDiff(hidden, await hiddenFeatures(net, train.pixels, 200, { batchSize: 64, threads: 1 }))).toBeLessThan(1e-4);
    const reference = await predictProbs(net, train.pixels, 200, { batchSize: 64, threads: 1 });
    expect(maxAbsDiff(probs, reference)).toBeLessThan(1e-4);
    expect(argmaxRows(probs, 10)).toEqual(argmaxRows(reference, 10));
  });

  const source = (dropout: number): BranchSource => ({
    kind: 'lenet-head',
    trunk,
    labels: train.labels.slice(0, 200),
    head: lenetHeadWeights(net),
    dropout,
  });

  it('draws fresh masks per batch seed: TCP targets vary with dropout on, equal the deterministic TCP with it off', () => {
    const rows = Int32Array.from({ length: 64 }, (_, i) => i);
    const tcpOf = (dropout: number, seed: number) => {
      const prepared = prepareSource(source(dropout));
      const { input, tcp } = branchBatch(prepared, rows, 0, 64, seed);
      const values = tcp.dataSync().slice();
      tf.dispose([input, tcp]);
      disposeSource(prepared);
      return values;
    };
    const { probs } = lenetHeadFromTrunk(lenetHeadWeights(net), trunk);
    const deterministic = Float32Array.from(rows, (r) => probs[r * 10 + train.labels[r]]);
    expect(maxAbsDiff(tcpOf(0, 1), deterministic)).toBeLessThan(1e-5);
    expect(tcpOf(0.5, 1)).toEqual(tcpOf(0.5, 1));
    expect(maxAbsDiff(tcpOf(0.5, 1), tcpOf(0.5, 2))).toBeGreaterThan(0.05);
    expect(maxAbsDiff(tcpOf(0.5, 1), deterministic)).toBeGreaterThan(0.05);
  });

  it('sums the gradients of a split batch to the whole batch gradient, with the same dropout masks', async () => {
    const sizes = [500, 16, 1];
    const weights = [
      Float32Array.from({ length: 500 * 16 }, (_, i) => Math.sin(i) * 0.05),
      new Float32Array(16).fill(0.01),
      Float32Array.from({ length: 16 }, (_, i) => Math.cos(i) * 0.2),
      new Float32Array(1),
    ];
    const prepared = prepareSource(source(0.5));
    const idx = Int32Array.from({ length: 96 }, (_, i) => (i * 7) % 200);
    const whole = await branchGradientPart(prepared, weights, sizes, idx, 0, 96, 11);
    const a = await branchGradientPart(prepared, weights, sizes, idx.subarray(0, 40), 0, 96, 11);
    const b = await branchGradientPart(prepared, weights, sizes, idx.subarray(40), 40, 96, 11);
    disposeSource(prepared);
    expect(Math.abs(a.loss + b.loss - whole.loss)).toBeLessThan(1e-6);
    for (let v = 0; v < whole.grads.length; v++) {
      const sum = a.grads[v].map((g, i) => g + b.grads[v][i]);
      let scale = 0;
      for (const r of whole.grads[v]) scale = Math.max(scale, Math.abs(r));
      expect(maxAbsDiff(sum, whole.grads[v]) / scale).toBeLessThan(1e-5);
    }
  });

  it('trains the same on two threads as on one, up to float32 summation order, and lowers the loss', async () => {
    const sizes = [500, 32, 32, 1];
    const init = [
      Float32Array.from({ length: 500 * 32 }, (_, i) => Math.sin(i * 1.3) * 0.04),
      new Float32Array(32),
      Float32Array.from({ length: 32 * 32 }, (_, i) => Math.cos(i * 0.7) * 0.17),
      new Float32Array(32),
      Float32Array.from({ length: 32 }, (_, i) => Math.sin(i) * 0.17),
      new Float32Array(1),
    ];
    const run = async (threads: number) => {
      const trainer = await createBranchTrainer({ source: source(0.5), sizes, weights: init, learningRate: 3e-3, threads });
      const losses: number[] = [];
      for (let step = 0; step < 20; step++) {
        const idx = Int32Array.from({ length: 50 }, (_, i) => (step * 50 + i) % 200);
        losses.push(await trainer.step(idx, 100 + step));
      }
      const weights = trainer.weights.map((w) => Float32Array.from(w));
      trainer.dispose();
      return { losses, weights };
    };
    const one = await run(1);
    const two = await run(2);
    for (let k = 0; k < init.length; k++) expect(maxAbsDiff(two.weights[k], one.weights[k])).toBeLessThan(1e-4);
    expect(Math.abs(two.losses[19] - one.losses[19])).toBeLessThan(1e-5);
    expect(one.losses.slice(15).reduce((s, l) => s + l, 0)).toBeLessThan(one.losses.slice(0, 5).reduce((s, l) => s + l, 0));
  });
});
