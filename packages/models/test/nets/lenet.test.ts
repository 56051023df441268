import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@rdl/runtime';
import { hiddenFeatures, imagesToTensor, LeNet, mcDropoutProbs, predictProbs, trainClassifier } from '../../src/index.js';
import { loadMnist } from '../../bench/mnist-idx.js';

const train = loadMnist('train', 2560);
const test = loadMnist('test', 500);

function accuracy(probs: Float32Array, labels: Uint8Array): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let k = 1; k < 10; k++) if (probs[i * 10 + k] > probs[i * 10 + best]) best = k;
    if (best === labels[i]) ok++;
  }
  return ok / labels.length;
}

describe('LeNet on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('has the SPEC shapes and a deterministic trunk; dropout only when training', () => {
    const empty = tf.memory().numTensors;
    const net = LeNet.create({ dropout: 0.5, seed: 1 });
    // Exactly the 8 weight variables are held.
    expect(tf.memory().numTensors).toBe(empty + 8);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = imagesToTensor(test.pixels, 4);
      const t = net.trunk(x);
      expect(t.shape).toEqual([4, 800]);
      // Fused conv+bias+ReLU then pool (inference) equals conv+bias, pool, ReLU (training, the SPEC order).
      const unfused = net.trunk(x, { training: true });
      expect(tf.max(tf.abs(tf.sub(t, unfused))).dataSync()[0]).toBeLessThan(1e-6);
      expect(tf.max(unfused).dataSync()[0]).toBeGreaterThan(0);
      const h = net.hidden(t, { training: false });
      expect(h.shape).toEqual([4, 500]);
      expect(net.classify(h, { training: false }).shape).toEqual([4, 10]);
      const eval1 = net.logits(x, { training: false }).arraySync();
      expect(net.logits(x, { training: false }).arraySync()).toEqual(eval1);
      const s1 = net.logits(x, { training: true, seed: 7 }).arraySync();
      expect(net.logits(x, { training: true, seed: 7 }).arraySync()).toEqual(s1);
      expect(net.logits(x, { training: true, seed: 8 }).arraySync()).not.toEqual(s1);
      expect(s1).not.toEqual(eval1);
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(net.variables().map((v) => v.shape)).toEqual([[5, 5, 1, 20], [20], [5, 5, 20, 50], [50], [800, 500], [500], [500, 10], [10]]);
    const same = LeNet.create({ dropout: 0.5, seed: 1 });
    expect(same.getWeights().conv2_kernel.values).toEqual(net.getWeights().conv2_kernel.values);
    same.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(empty);
  });

  it('trains (loss falls, accuracy well above chance) and predicts without leaking tensors', async () => {
    const net = LeNet.create({ dropout: 0.5, seed: 2 });
    const start = tf.memory().numTensors;
    const seen: number[] = [];
    const { losses } = await trainClassifier(net, train, {
      epochs: 1,
      batchSize: 128,
      learningRate: 1e-3,
      seed: 5,
      onProgress: (p) => seen.push(p.batch),
    });
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(losses).toHaveLength(20);
    const head = (losses[0] + losses[1]) / 2;
    const tail = (losses[18] + losses[19]) / 2;
    expect(tail).toBeLessThan(head * 0.6);
    expect(tf.memory().numTensors).toBe(start);

    const probs = await predictProbs(net, test.pixels, test.count, { batchSize: 128 });
    expect(probs).toHaveLength(test.count * 10);
    for (let i = 0; i < test.count; i++) {
      let s = 0;
      for (let k = 0; k < 10; k++) s += probs[i * 10 + k];
      expect(Math.abs(s - 1)).toBeLessThan(1e-5);
    }
    const acc = accuracy(probs, test.labels);
    console.log(`accuracy after 2560 training images: ${acc}`);
    expect(acc).toBeGreaterThan(0.6);

    const T = 6;
    const n = 50;
    const mc = await mcDropoutProbs(net, test.pixels, n, { passes: T, batchSize: 32, seed: 9 });
    expect(mc).toHaveLength(T * n * 10);
    expect(await mcDropoutProbs(net, test.pixels, n, { passes: T, batchSize: 32, seed: 9 })).toEqual(mc);
    // Passes differ from each other (dropout is on) but each row is a distribution.
    expect(mc.subarray(0, n * 10)).not.toEqual(mc.subarray(n * 10, 2 * n * 10));
    let rowSumErr = 0;
    for (let r = 0; r < T * n; r++) {
      let s = 0;
      for (let k = 0; k < 10; k++) s += mc[r * 10 + k];
      rowSumErr = Math.max(rowSumErr, Math.abs(s - 1));
    }
    expect(rowSumErr).toBeLessThan(1e-5);
    // The MC average classifies about as well as the deterministic net.
    const mean = new Float32Array(n * 10);
    for (let t = 0; t < T; t++) for (let j = 0; j < n * 10; j++) mean[j] += mc[t * n * 10 + j] / T;
    expect(accuracy(mean, test.labels.subarray(0, n))).toBeGreaterThan(0.6);

    const feats = await hiddenFeatures(net, test.pixels, 20);
    expect(feats).toHaveLength(20 * 500);
    const direct = tf.tidy(() => net.hidden(net.trunk(imagesToTensor(test.pixels, 20)), { training: false }).dataSync());
    let featErr = 0;
    for (let i = 0; i < feats.length; i++) featErr = Math.max(featErr, Math.abs(feats[i] - direct[i]));
    expect(featErr).toBeLessThan(1e-5);
    expect(Math.min(...feats)).toBeGreaterThanOrEqual(0);

    expect(tf.memory().numTensors).toBe(start);
    net.dispose();
  });

  it('MC dropout with rate 0 reproduces the deterministic probabilities in every pass', async () => {
    const net = LeNet.create({ dropout: 0, seed: 6 });
    const n = 40;
    const det = await predictProbs(net, test.pixels, n, { batchSize: 16 });
    // predictProbs (wasm first block, McHead) against the tfjs ops of LeNet.logits.
    const reference = (): Float32Array =>
      tf.tidy(() => tf.softmax(net.logits(imagesToTensor(test.pixels, n), { training: false })).dataSync() as Float32Array);
    const maxErr = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, j) => Math.max(m, Math.abs(v - b[j])), 0);
    expect(maxErr(det, reference())).toBeLessThan(1e-5);
    // New fc weights: the cached head must not be reused.
    const original = net.getWeights();
    const weights = net.getWeights();
    weights.fc2_kernel.values = weights.fc2_kernel.values.map((v) => 3 * v);
    net.setWeights(weights);
    const after = await predictProbs(net, test.pixels, n, { batchSize: 16 });
    expect(maxErr(after, det)).toBeGreaterThan(1e-3);
    expect(maxErr(after, reference())).toBeLessThan(1e-5);
    net.setWeights(original);
    const mc = await mcDropoutProbs(net, test.pixels, n, { passes: 3, batchSize: 16, seed: 1 });
    let err = 0;
    for (let t = 0; t < 3; t++) for (let j = 0; j < n * 10; j++) err = Math.max(err, Math.abs(mc[t * n * 10 + j] - det[j]));
    // Same arithmetic except the skipped zero features (float32 summation order), so ~1e-7.
    expect(err).toBeLessThan(1e-5);
    net.dispose();
  });

  it('gives the same input gradient (ODIN) on wasm and cpu', async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    const net = LeNet.create({ dropout: 0.5, seed: 4 });
    const weights = net.getWeights();
    const pixels = test.pixels.subarray(0, 3 * 784);
    const grad = (): Float32Array => {
      const g = tf.tidy(() =>
        tf.grad((x: tf.Tensor) => tf.sum(tf.max(tf.logSoftmax(net.logits(x as tf.Tensor4D, { training: false })), 1)))(
          imagesToTensor(pixels, 3),
        ),
      );
      const v = new Float32Array(g.dataSync());
      g.dispose();
      return v;
    };
    const onWasm = grad();
    tf.setBackend('cpu');
    net.setWeights(weights);
    const onCpu = grad();
    tf.setBackend('wasm');
    let err = 0;
    let scale = 0;
    for (let i = 0; i < onCpu.length; i++) {
      err = Math.max(err, Math.abs(onCpu[i] - onWasm[i]));
      scale = Math.max(scale, Math.abs(onCpu[i]));
    }
    console.log(`input gradient max abs error ${err.toExponential(2)} (max |grad| ${scale.toExponential(2)})`);
    expect(scale).toBeGreaterThan(0);
    expect(err).toBeLessThan(1e-4 * (1 + scale));
    net.dispose();
  });
});
