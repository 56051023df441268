import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRng } from '@rdl/core';
import {
  concatConfidNetData,
  createConfidNet,
  confidNetLayerSizes,
  confidNetScores,
  initConfidNetWeights,
  trainConfidNet,
  trueClassProbability,
  auprError,
  type ConfidNetValidation,
} from '../src/index.js';

// Toy problem: 8 features in [0, 1); the target TCP is a simple function of feature 0 only.
const D = 8;
// The classifier is wrong where TCP < 0.5, i.e. where feature 0 < 0.5.
function toyData(n: number, seed: number): ConfidNetValidation {
  const rng = createRng(seed);
  const features = new Float32Array(n * D);
  const tcp = new Float32Array(n);
  const errors = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < D; d++) features[i * D + d] = rng.next();
    tcp[i] = 0.1 + 0.8 * features[i * D];
    errors[i] = tcp[i] < 0.5 ? 1 : 0;
  }
  return { features, tcp, errors };
}
const train = toyData(512, 1);
const validation = toyData(128, 2);
// One thread: the data-parallel path is tested in @rdl/models (test/branch-training.test.ts).
const small = { hiddenSizes: [32, 32], batchSize: 32, learningRate: 3e-3, threads: 1 };

function correlation(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('trueClassProbability', () => {
  it('picks the probability of the true class and checks labels', () => {
    const probs = Float32Array.from([0.7, 0.2, 0.1, 0.3, 0.3, 0.4]);
    expect(Array.from(trueClassProbability(probs, [1, 2], 3))).toEqual([0.2, 0.4].map(Math.fround));
    expect(() => trueClassProbability(probs, [1, 3], 3)).toThrow(/labels\[1\] = 3/);
    expect(() => trueClassProbability(probs, [1], 3)).toThrow(/labels has length 1/);
  });
});

describe('ConfidNet', () => {
  it('has the paper architecture by default: D → 400 → 400 → 400 → 400 → 1', () => {
    expect(confidNetLayerSizes(initConfidNetWeights(500, 0))).toEqual([500, 400, 400, 400, 400, 1]);
  });

  it('learns TCP from the feature it depends on, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const result = await trainConfidNet(train, { ...small, validation, epochs: 12, seed: 5 });
    expect(tf.memory().numTensors).toBe(before);
    const first = result.history[0];
    const last = result.history[result.history.length - 1];
    expect(result.history.map((h) => h.epoch)).toEqual(Array.from({ length: 12 }, (_, k) => k + 1));
    expect(last.trainLoss).toBeLessThan(first.trainLoss * 0.5);
    // By default the epoch with the highest validation AUPR-Error is kept.
    const highest = Math.max(...result.history.map((h) => h.valAuprError));
    expect(result.history[result.bestEpoch - 1].valAuprError).toBe(highest);
    expect(result.stopped).toBe('max-epochs');

    const score = confidNetScores(result.weights, validation.features);
    expect(tf.memory().numTensors).toBe(before);
    expect(score.direction).toBe('higher-is-more-confident');
    expect(score.name).toBe('confidnet');
    expect(correlation(score.values, validation.tcp)).toBeGreaterThan(0.9);
    const viaDetector = await createConfidNet({ weights: result.weights }).score(validation.features);
    expect(viaDetector.values).toEqual(score.values);
  });

  it('keeps the weights of the epoch chosen by the validation criterion, and stops on patience', async () => {
    const byMse = await trainConfidNet(train, { ...small, validation, epochs: 6, seed: 5, selectBy: 'mse' });
    const lowest = Math.min(...byMse.history.map((h) => h.valLoss));
    expect(byMse.history[byMse.bestEpoch - 1].valLoss).toBe(lowest);

    const byAupr = await trainConfidNet(train, { ...small, validation, epochs: 30, patience: 2, seed: 5, learningRate: 3e-2 });
    const curve = byAupr.history.map((h) => h.valAuprError);
    expect(byAupr.history[byAupr.bestEpoch - 1].valAuprError).toBe(Math.max(...curve));
    // The returned weights are those of the chosen epoch: they reproduce its validation AUPR-Error.
    const again = confidNetScores(byAupr.weights, validation.features).values;
    expect(auprError(validation.errors, again)).toBeCloseTo(curve[byAupr.bestEpoch - 1], 6);
    if (byAupr.stopped === 'patience') expect(byAupr.history.length).toBe(byAupr.bestEpoch + 2);
    else expect(byAupr.history.length).toBe(30);
  });

  it('is deterministic per seed', async () => {
    const run = (seed: number) => trainConfidNet(train, { ...small, validation, epochs: 2, seed });
    const [a, b, c] = [await run(9), await run(9), await run(10)];
    expect(Object.keys(a.weights)).toEqual(Object.keys(b.weights));
    for (const key of Object.keys(a.weights)) expect(a.weights[key].values).toEqual(b.weights[key].values);
    expect(a.history).toEqual(b.history);
    expect(c.weights['uncertainty1/kernel'].values).not.toEqual(a.weights['uncertainty1/kernel'].values);
  });

  it('validates its inputs', async () => {
    await expect(trainConfidNet(train, { validation, epochs: 0 })).rejects.toThrow(/epochs/);
    await expect(trainConfidNet({ features: new Float32Array(10), tcp: new Float32Array(3) }, { validation })).rejects.toThrow(/features/);
    const noErrors = { ...validation, errors: new Uint8Array(validation.tcp.length) };
    await expect(trainConfidNet(train, { validation: noErrors })).rejects.toThrow(/validation holds 0 errors/);
    await expect(trainConfidNet(train, { validation: toyData(4, 3), hiddenSizes: [0] })).rejects.toThrow(/hiddenSizes/);
    expect(() => confidNetScores(initConfidNetWeights(D, 0, [4]), new Float32Array(D + 1))).toThrow(/features/);
    const mixed = concatConfidNetData(train, validation);
    expect(mixed.tcp.length).toBe(640);
    expect(mixed.features[512 * D]).toBe(validation.features[0]);
  });
});
