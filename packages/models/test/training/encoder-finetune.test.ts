import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@rdl/core';
import { initBackend, shutdownWorkers } from '@rdl/runtime';
import {
  createEncoderFineTuner,
  encoderGradientPart,
  ENCODER_WEIGHT_NAMES,
  LeNet,
  type EncoderFineTuner,
  type LeNetWeights,
} from '../../src/index.js';
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
    const tuner = await createEncoderFineTuner({ lenet, dropout: 0.5, sizes: SIZES, branch, learningRate: 1e-3, threads: 1 });
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
    const tuner = await createEncoderFineTuner({ lenet, dropout: 0.5, sizes: SIZES, branch, learningRate: 1e-3, threads: 1 });
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
      threads: 1,
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

/** max |a − b| over max |b|, over every array of a list (0 for identical lists). */
function relativeDiff(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  b.forEach((ref, k) => (worst = Math.max(worst, maxAbsDiff(a[k], ref) / Math.max(1e-12, maxAbs(ref)))));
  return worst;
}

/** Everything a tuner trains, in gradient order: the encoder copy's conv1, conv2, fc1, then the branch. */
function trained(tuner: EncoderFineTuner): Float32Array[] {
  const w = tuner.encoder.getWeights();
  return [...ENCODER_WEIGHT_NAMES.map((name) => w[name].values), ...tuner.branchWeights()];
}

describe('ConfidNet phase 2 on two threads (wasm)', () => {
  let lenet: LeNetWeights;
  const tcp = Float32Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? 0.2 : 0.97));
  const rows = Int32Array.from({ length: 13 }, (_, i) => (i * 5 + 1) % 16); // odd: unequal parts
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    const net = LeNet.create({ dropout: 0.5, seed: 5 });
    lenet = net.getWeights();
    net.dispose();
  });
  afterAll(async () => {
    await shutdownWorkers();
  });

  it('sums the gradient parts of a split batch to the one-thread gradient of the whole batch', async () => {
    const branch = branchInit(3);
    const tuner = await createEncoderFineTuner({ lenet, dropout: 0.5, sizes: SIZES, branch, learningRate: 1e-3, threads: 1 });
    try {
      const whole = await tuner.gradients(data.pixels, tcp, rows);
      const part = (from: number, to: number) =>
        encoderGradientPart(tuner.encoder, branch, SIZES, data.pixels, tcp, rows.subarray(from, to), rows.length, { trainEncoder: true });
      const a = await part(0, 5);
      const b = await part(5, rows.length);
      const sum = a.grads.map((g, k) => g.map((v, i) => v + b.grads[k][i]));
      expect(sum).toHaveLength(whole.grads.length);
      expect(Math.abs(a.loss + b.loss - whole.loss)).toBeLessThan(1e-6);
      // float32 summation order only (~1e-7 relative); a missing part or a wrong total is off by ≥ 1/3.
      expect(relativeDiff(sum, whole.grads)).toBeLessThan(1e-5);
      expect(maxAbs(a.grads[0])).toBeGreaterThan(0);
    } finally {
      tuner.dispose();
    }
  });

  it('gives the one-thread gradients on two threads (the worker computes its part), encoder trained or frozen', async () => {
    for (const trainEncoder of [true, false]) {
      const make = (threads: number) =>
        createEncoderFineTuner({ lenet, dropout: 0.5, sizes: SIZES, branch: branchInit(4), learningRate: 1e-3, trainEncoder, threads });
      const one = await make(1);
      const two = await make(2);
      try {
        const g1 = await one.gradients(data.pixels, tcp, rows);
        const g2 = await two.gradients(data.pixels, tcp, rows);
        expect(g2.grads).toHaveLength(trainEncoder ? ENCODER_WEIGHT_NAMES.length + 2 * (SIZES.length - 1) : 2 * (SIZES.length - 1));
        expect(Math.abs(g2.loss - g1.loss)).toBeLessThan(1e-6);
        expect(relativeDiff(g2.grads, g1.grads), `trainEncoder ${trainEncoder}`).toBeLessThan(1e-5);
      } finally {
        one.dispose();
        two.dispose();
      }
    }
  });

  it('fine-tunes deterministically on two threads, along the one-thread path', async () => {
    const run = async (threads: number, trainEncoder = true) => {
      const tuner = await createEncoderFineTuner({
        lenet,
        dropout: 0.5,
        sizes: SIZES,
        branch: branchInit(2),
        learningRate: 1e-3,
        trainEncoder,
        threads,
      });
      try {
        const losses: number[] = [];
        for (let i = 0; i < 10; i++) losses.push(await tuner.step(data.pixels, tcp, i % 2 === 0 ? rows : rows.subarray(0, 7)));
        return { losses, weights: trained(tuner), fc2: tuner.encoder.getWeights().fc2_kernel.values };
      } finally {
        tuner.dispose();
      }
    };
    const one = await run(1);
    const two = await run(2);
    const again = await run(2);
    expect(relativeDiff(again.weights, two.weights)).toBe(0); // not toEqual: a failure would diff ≈ 1M values
    expect(again.weights).toHaveLength(two.weights.length);
    expect(again.losses).toEqual(two.losses);
    // Step 1 is the same computation; later steps drift by float32 rounding (tfjs vs host Adam).
    expect(Math.abs(two.losses[0] - one.losses[0])).toBeLessThan(1e-6);
    expect(two.losses[9]).toBeLessThan(two.losses[0]);
    const start = [...ENCODER_WEIGHT_NAMES.map((name) => lenet[name].values), ...branchInit(2)];
    const moved = (w: Float32Array[]) => w.map((v, k) => v.map((x, i) => x - start[k][i]));
    const d1 = moved(one.weights);
    const d2 = moved(two.weights);
    // Every trained array moved, and by the one-thread run's amount up to rounding.
    d2.forEach((d, k) => expect(maxAbs(d), `weights ${k} moved`).toBeGreaterThan(0));
    const drift = relativeDiff(d2, d1);
    console.log(`two vs one thread after 10 steps: max relative difference of the weight changes ${drift.toExponential(2)}`);
    expect(drift).toBeLessThan(1e-2);
    expect(two.fc2).toEqual(lenet.fc2_kernel.values);
    // The frozen control on two threads: the encoder copy stays exactly as given.
    const control = await run(2, false);
    ENCODER_WEIGHT_NAMES.forEach((name, k) => expect(maxAbsDiff(control.weights[k], lenet[name].values), name).toBe(0));
  });

  it('keeps the data of two two-thread fine-tuners alive at once apart on the workers', async () => {
    const other = Float32Array.from(tcp, (t) => 1 - t);
    const make = () => createEncoderFineTuner({ lenet, dropout: 0.5, sizes: SIZES, branch: branchInit(6), learningRate: 1e-3, threads: 2 });
    const solo = await make();
    for (let i = 0; i < 3; i++) await solo.step(data.pixels, tcp, rows);
    const expected = trained(solo);
    solo.dispose();
    const a = await make();
    const b = await make();
    try {
      for (let i = 0; i < 3; i++) {
        await a.step(data.pixels, tcp, rows);
        await b.step(data.pixels, other, rows); // other targets: b's worker part must not reach a
      }
      // A number, not toEqual: a failing toEqual would diff ≈ 1M values for minutes.
      expect(relativeDiff(trained(a), expected)).toBe(0);
      expect(maxAbsDiff(trained(b)[0], expected[0])).toBeGreaterThan(0);
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});
