import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@rdl/core';
import { initBackend } from '@rdl/runtime';
import { createEncoderFineTuner, ENCODER_WEIGHT_NAMES, LeNet, type LeNetWeights } from '../../src/index.js';
import { loadMnist } from '../../bench/mnist-idx.js';
import { maxAbsDiff } from '../max-abs-diff.js';

const data = loadMnist('train', 16);
const SIZES = [500, 8, 8, 1];
const maxAbs = (v: Float32Array): number => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

function branchInit(seed: number): Float32Array[] {
  const rng = createRng(seed);
  return SIZES.slice(1).flatMap((out, k) => {
    const bound = 1 / Math.sqrt(SIZES[k]);
    const draw = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-bound, bound));
    return [draw(SIZES[k] * out), draw(out)];
  });
}

/**
 * The loss written with plain tfjs ops and tf.grads over the weight tensors (no LeNet class, no
 * custom blocks): conv → max-pool → bias → ReLU twice, flatten, fc1 → ReLU, branch, σ, MSE.
 */
function referenceGrads(
  w: LeNetWeights,
  branch: Float32Array[],
  x: tf.Tensor4D,
  tcp: tf.Tensor1D,
): { loss: number; grads: Float32Array[] } {
  const enc = ENCODER_WEIGHT_NAMES.map((name) => tf.tensor(w[name].values, w[name].shape));
  const br = branch.map((v, k) => (k % 2 === 0 ? tf.tensor2d(v, [SIZES[k / 2], SIZES[k / 2 + 1]]) : tf.tensor1d(v)));
  const f = (...p: tf.Tensor[]): tf.Scalar => {
    const block = (h: tf.Tensor4D, k: tf.Tensor, b: tf.Tensor) =>
      tf.relu(tf.add(tf.maxPool(tf.conv2d(h, k as tf.Tensor4D, 1, 'valid'), 2, 2, 'valid'), b)) as tf.Tensor4D;
    const conv = block(block(x, p[0], p[1]), p[2], p[3]);
    let h = tf.relu(tf.add(tf.matMul(tf.reshape(conv, [x.shape[0], 800]), p[4] as tf.Tensor2D), p[5])) as tf.Tensor2D;
    for (let k = 0; k + 1 < SIZES.length; k++) {
      const z = tf.add(tf.matMul(h, p[6 + 2 * k] as tf.Tensor2D), p[7 + 2 * k]) as tf.Tensor2D;
      h = k + 2 < SIZES.length ? tf.relu(z) : z;
    }
    return tf.mean(tf.squaredDifference(tf.sigmoid(tf.reshape(h, [x.shape[0]])), tcp)) as tf.Scalar;
  };
  const params = [...enc, ...br];
  const { value, grads } = tf.valueAndGrads(f)(params);
  const out = { loss: value.dataSync()[0], grads: grads.map((g) => Float32Array.from(g.dataSync())) };
  tf.dispose([value, ...grads, ...params]);
  return out;
}

describe('ConfidNet phase 2: encoder copy + branch fine-tuning (wasm, one thread)', () => {
  let lenet: LeNetWeights;
  const tcp = Float32Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? 0.2 : 0.97));
  const rows = Int32Array.from({ length: 12 }, (_, i) => i + 2);
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    const net = LeNet.create({ dropout: 0.5, seed: 5 });
    lenet = net.getWeights();
    net.dispose();
  });
  afterAll(() => undefined);

  it('gives the gradient of a plain-tfjs reference, for the encoder and the branch, dropout off', async () => {
    const branch = branchInit(1);
    const tuner = await createEncoderFineTuner({ lenet, dropout: 0.5, sizes: SIZES, branch, learningRate: 1e-3 });
    try {
      const ours = await tuner.gradients(data.pixels, tcp, rows);
      const pixels = new Float32Array(rows.length * 784);
      rows.forEach((r, i) => {
        for (let j = 0; j < 784; j++) pixels[i * 784 + j] = data.pixels[r * 784 + j] / 255;
      });
      const x = tf.tensor4d(pixels, [rows.length, 28, 28, 1]);
      const t = tf.tensor1d(Array.from(rows, (r) => tcp[r]));
      const ref = referenceGrads(lenet, branch, x, t);
      tf.dispose([x, t]);
      expect(ours.grads.length).toBe(ENCODER_WEIGHT_NAMES.length + 2 * (SIZES.length - 1));
      expect(Math.abs(ours.loss - ref.loss)).toBeLessThan(1e-6);
      ours.grads.forEach((g, k) => {
        const scale = Math.max(1e-6, maxAbs(ref.grads[k]));
        expect(maxAbsDiff(g, ref.grads[k]) / scale, `gradient ${k}`).toBeLessThan(1e-3);
      });
      // Not a trivially zero gradient: the encoder really receives the ConfidNet loss.
      expect(maxAbs(ours.grads[0])).toBeGreaterThan(0);
    } finally {
      tuner.dispose();
    }
  });

  it('steps the encoder copy and the branch only: fc2 and the given weights stay as they were', async () => {
    const branch = branchInit(2);
    const before = branch.map((b) => Float32Array.from(b));
    const tuner = await createEncoderFineTuner({ lenet, dropout: 0.5, sizes: SIZES, branch, learningRate: 1e-3 });
    try {
      const first = await tuner.step(data.pixels, tcp, rows);
      for (let i = 0; i < 20; i++) await tuner.step(data.pixels, tcp, rows);
      const last = (await tuner.gradients(data.pixels, tcp, rows)).loss;
      expect(last).toBeLessThan(first);
      const after = tuner.encoder.getWeights();
      expect(after.fc2_kernel.values).toEqual(lenet.fc2_kernel.values);
      expect(after.fc2_bias.values).toEqual(lenet.fc2_bias.values);
      expect(maxAbsDiff(after.conv1_kernel.values, lenet.conv1_kernel.values)).toBeGreaterThan(0);
      expect(maxAbsDiff(after.fc1_kernel.values, lenet.fc1_kernel.values)).toBeGreaterThan(0);
      expect(maxAbsDiff(tuner.branchWeights()[0], before[0])).toBeGreaterThan(0);
      expect(branch).toEqual(before);
    } finally {
      tuner.dispose();
    }
  });

  it('with trainEncoder false steps the branch only (the control): the encoder copy keeps the given weights', async () => {
    const tuner = await createEncoderFineTuner({
      lenet,
      dropout: 0.5,
      sizes: SIZES,
      branch: branchInit(2),
      learningRate: 1e-3,
      trainEncoder: false,
    });
    try {
      for (let i = 0; i < 3; i++) await tuner.step(data.pixels, tcp, rows);
      const after = tuner.encoder.getWeights();
      for (const name of ENCODER_WEIGHT_NAMES) expect(after[name].values, name).toEqual(lenet[name].values);
      expect(maxAbsDiff(tuner.branchWeights()[0], branchInit(2)[0])).toBeGreaterThan(0);
      expect((await tuner.gradients(data.pixels, tcp, rows)).grads.length).toBe(2 * (SIZES.length - 1));
    } finally {
      tuner.dispose();
    }
  });

  it('rejects branch weights that do not fit the sizes, naming them', async () => {
    await expect(
      createEncoderFineTuner({ lenet, dropout: 0.5, sizes: SIZES, branch: branchInit(1).slice(1), learningRate: 1e-3 }),
    ).rejects.toThrow(/branch weights do not match sizes/);
  });
});
