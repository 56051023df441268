import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRng } from '@rdl/core';
import { hiddenFeatures, LeNet, type LeNetWeights } from '@rdl/models';
import { auprError, confidNetScores, fineTuneConfidNet, initConfidNetWeights, type FineTuneConfidNetInput } from '../src/index.js';

// Synthetic images and targets: fine-tuning only needs pixels, TCP targets and validation errors
// with both classes. One thread: the tfjs cpu backend starts no worker pool (the two-thread step is
// tested in @rdl/models, test/training/encoder-finetune.test.ts).
function images(count: number, seed: number): { pixels: Uint8Array; count: number; tcp: Float32Array; errors: Uint8Array } {
  const rng = createRng(seed);
  const pixels = Uint8Array.from({ length: count * 784 }, () => (rng.next() < 0.8 ? 0 : Math.floor(256 * rng.next())));
  const tcp = Float32Array.from({ length: count }, () => rng.next());
  const errors = Uint8Array.from(tcp, (t) => (t < 0.5 ? 1 : 0));
  return { pixels, count, tcp, errors };
}

describe('fineTuneConfidNet (ConfidNet phase 2)', () => {
  let lenet: LeNetWeights;
  let input: FineTuneConfidNetInput;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    const net = LeNet.create({ dropout: 0.5, seed: 4 });
    lenet = net.getWeights();
    net.dispose();
    const { errors: _e, ...train } = images(48, 1);
    input = { lenet, dropout: 0.5, branch: initConfidNetWeights(500, 7, [16, 16]), train, validation: images(40, 2) };
  });

  it('with 0 epochs returns phase 1 exactly: the given encoder and branch, epoch 0, its validation AUPR-Error', async () => {
    const r = await fineTuneConfidNet(input, { epochs: 0, threads: 1 });
    expect(r.bestEpoch).toBe(0);
    expect(r.encoder).toBe(input.lenet);
    expect(r.weights).toBe(input.branch);
    expect(r.history.map((e) => e.epoch)).toEqual([0]);
    expect(r.history[0].trainLoss).toBeNull();
    const net = LeNet.create({ dropout: 0.5, seed: 0 });
    net.setWeights(lenet);
    const features = await hiddenFeatures(net, input.validation.pixels, input.validation.count, { batchSize: 16, threads: 1 });
    net.dispose();
    expect(r.history[0].valAuprError).toBe(auprError(input.validation.errors, confidNetScores(input.branch, features).values));
  });

  it('keeps the best validation epoch, never worse than epoch 0, and its weights give the recorded validation AUPR-Error', async () => {
    // A large learning rate: later epochs may well be worse than phase 1 on validation.
    const r = await fineTuneConfidNet(input, { epochs: 3, learningRate: 3e-3, batchSize: 16, seed: 3, threads: 1 });
    expect(r.history.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);
    const curve = r.history.map((e) => e.valAuprError);
    expect(curve[r.bestEpoch]).toBeGreaterThanOrEqual(curve[0]);
    expect(curve[r.bestEpoch]).toBe(Math.max(...curve));
    expect(r.history.slice(1).every((e) => Number.isFinite(e.trainLoss))).toBe(true);
    const net = LeNet.create({ dropout: 0.5, seed: 0 });
    net.setWeights(r.encoder);
    const features = await hiddenFeatures(net, input.validation.pixels, input.validation.count, { batchSize: 16, threads: 1 });
    net.dispose();
    expect(auprError(input.validation.errors, confidNetScores(r.weights, features).values)).toBeCloseTo(curve[r.bestEpoch], 6);
    // The classifier's own layer is never trained.
    expect(r.encoder.fc2_kernel.values).toEqual(lenet.fc2_kernel.values);
  });

  it('trainEncoder false reaches the fine-tuner: the branch moves, the encoder copy does not', async () => {
    const moved = await fineTuneConfidNet(input, { epochs: 2, learningRate: 3e-3, batchSize: 16, seed: 3, threads: 1 });
    const frozen = await fineTuneConfidNet(input, {
      epochs: 2,
      learningRate: 3e-3,
      batchSize: 16,
      seed: 3,
      threads: 1,
      trainEncoder: false,
    });
    // Whichever epoch is kept, a frozen run's encoder is phase 1's; a trained run's is not once it keeps a later epoch.
    expect(frozen.encoder.conv1_kernel.values).toEqual(lenet.conv1_kernel.values);
    expect(frozen.encoder.fc1_kernel.values).toEqual(lenet.fc1_kernel.values);
    if (moved.bestEpoch > 0) expect(moved.encoder.conv1_kernel.values).not.toEqual(lenet.conv1_kernel.values);
    expect(frozen.history.map((e) => e.valAuprError)).not.toEqual(moved.history.map((e) => e.valAuprError));
  });

  it('keeps phase 1 (epoch 0) when no fine-tuned epoch beats it on validation', async () => {
    // Errors = the 12 images phase 1 is least confident about: its AUPR-Error is 1, unbeatable.
    const net = LeNet.create({ dropout: 0.5, seed: 0 });
    net.setWeights(lenet);
    const features = await hiddenFeatures(net, input.validation.pixels, input.validation.count, { batchSize: 16, threads: 1 });
    net.dispose();
    const scores = confidNetScores(input.branch, features).values;
    const order = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b]);
    const errors = new Uint8Array(scores.length);
    order.slice(0, 12).forEach((i) => (errors[i] = 1));
    const r = await fineTuneConfidNet(
      { ...input, validation: { ...input.validation, errors } },
      { epochs: 2, learningRate: 3e-3, batchSize: 16, seed: 3, threads: 1 },
    );
    expect(r.history[0].valAuprError).toBe(1);
    expect(r.history.slice(1).some((e) => e.valAuprError < 1)).toBe(true);
    expect(r.bestEpoch).toBe(0);
    expect(r.encoder).toBe(input.lenet);
    expect(r.weights).toBe(input.branch);
  });

  it('is deterministic for a seed', async () => {
    const a = await fineTuneConfidNet(input, { epochs: 1, learningRate: 1e-3, batchSize: 16, seed: 5, threads: 1 });
    const b = await fineTuneConfidNet(input, { epochs: 1, learningRate: 1e-3, batchSize: 16, seed: 5, threads: 1 });
    expect(b.history).toEqual(a.history);
  });

  it('rejects bad options and inputs, naming the field', async () => {
    await expect(fineTuneConfidNet(input, { epochs: -1 })).rejects.toThrow(/epochs/);
    await expect(fineTuneConfidNet(input, { epochs: 1, learningRate: 0 })).rejects.toThrow(/learningRate/);
    await expect(fineTuneConfidNet({ ...input, train: { ...input.train, tcp: new Float32Array(3) } }, { epochs: 1 })).rejects.toThrow(
      /train has 3 targets/,
    );
  });
});
