import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRng } from '@rdl/core';
import { maxSoftmaxProbability, odinScores } from '../src/index.js';

// A linear classifier on 1×2×1 "images": logits = x·W, W is 2×3. Its input gradient is known:
// ∇ₓ log S_ŷ(x; T) = (W[:, ŷ] − Σ_k S_k W[:, k]) / T.
const W = [
  [1, -1, 0.5],
  [0.5, 2, -1],
];
let weight: tf.Tensor2D;
const logitsFn = (x: tf.Tensor4D): tf.Tensor2D => tf.matMul(tf.reshape(x, [x.shape[0], 2]), weight);

function softmax(z: number[], T: number): number[] {
  const m = Math.max(...z.map((v) => v / T));
  const e = z.map((v) => Math.exp(v / T - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
const logitsOf = (x: number[]) => [0, 1, 2].map((k) => x[0] * W[0][k] + x[1] * W[1][k]);

/** ODIN by hand for one 2-pixel input. */
function odinByHand(x: number[], T: number, eps: number): number {
  const z = logitsOf(x);
  const yHat = z.indexOf(Math.max(...z));
  const s = softmax(z, T);
  const grad = [0, 1].map((d) => (W[d][yHat] - s.reduce((acc, sk, k) => acc + sk * W[d][k], 0)) / T);
  const xt = x.map((v, d) => v - eps * Math.sign(-grad[d]));
  return Math.max(...softmax(logitsOf(xt), T));
}

const rng = createRng(11);
const N = 7;
const points = Array.from({ length: N }, () => [rng.uniform(-2, 2), rng.uniform(-2, 2)]);
let images: tf.Tensor4D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  weight = tf.tensor2d(W);
  images = tf.tensor4d(points.flat(), [N, 1, 2, 1]);
});

describe('odinScores', () => {
  it('matches the hand-computed perturbation and temperature scaling, with a tolerance far below the effect of ε', async () => {
    // Tolerances are set from measurement: float32 scores miss the float64 hand values by ≤ 2.3e-8
    // at T = 1000 (≤ 6e-8 near 1 at T = 1), while ε = 0.0014 moves a score at T = 1000 by only
    // 3.9e-7 … 1.25e-6. Each row checks that ε's effect is many tolerances wide, so a wrong ε (or
    // none) fails.
    for (const [T, eps, tol] of [
      [1, 0.05, 2e-7],
      [10, 0.1, 2e-7],
      [1000, 0.0014, 5e-8],
      [1000, 0.05, 5e-8],
    ] as const) {
      const score = await odinScores(logitsFn, images, { temperature: T, epsilon: eps, batchSize: 3 });
      expect(score.direction).toBe('higher-is-more-confident');
      points.forEach((x, i) => {
        const effect = odinByHand(x, T, eps) - odinByHand(x, T, 0);
        expect(effect, `T = ${T}, ε = ${eps}: ε's effect must dwarf the tolerance`).toBeGreaterThan(5 * tol);
        expect(Math.abs(score.values[i]! - odinByHand(x, T, eps)), `T = ${T}, ε = ${eps}, point ${i}`).toBeLessThan(tol);
      });
    }
  });

  it("ε's effect at T = 1000 is the hand-computed one (score differences, not levels)", async () => {
    const at = (eps: number) => odinScores(logitsFn, images, { temperature: 1000, epsilon: eps });
    const [clean, nudged] = [await at(0), await at(0.0014)];
    points.forEach((x, i) => {
      const byHand = odinByHand(x, 1000, 0.0014) - odinByHand(x, 1000, 0);
      // Float32 rounding of the two scores (≤ 3.6e-8 measured) against an effect of ≥ 3.9e-7.
      expect(Math.abs(nudged.values[i]! - clean.values[i]! - byHand), `point ${i}`).toBeLessThan(0.25 * byHand);
    });
  });

  it('the perturbation increases the max softmax score of every input', async () => {
    const clean = await odinScores(logitsFn, images, { temperature: 2, epsilon: 0 });
    const nudged = await odinScores(logitsFn, images, { temperature: 2, epsilon: 0.05 });
    for (let i = 0; i < N; i++) expect(nudged.values[i]).toBeGreaterThan(clean.values[i]);
  });

  it('T = 1, ε = 0 is MCP', async () => {
    const score = await odinScores(logitsFn, images, { temperature: 1, epsilon: 0 });
    const probs = tf.tidy(() => tf.softmax(logitsFn(images)));
    const mcp = maxSoftmaxProbability(probs.dataSync() as Float32Array, 3);
    probs.dispose();
    for (let i = 0; i < N; i++) expect(score.values[i]).toBeCloseTo(mcp[i], 6);
  });

  it('reads pixel batches like a tensor, and ε is in pixel units under inputStd', async () => {
    // Pixels 0..255 encode x = (p − 128) / 64, i.e. the model sees (pixel/255 − μ)/σ with σ = 64/255.
    const pixels = Uint8Array.from({ length: N * 2 }, (_, k) => (k * 37) % 256);
    const toTensor = (bytes: Uint8Array, count: number): tf.Tensor4D =>
      tf.tidy(() => tf.div(tf.sub(tf.tensor4d(Float32Array.from(bytes), [count, 1, 2, 1]), 128), 64));
    const asTensor = toTensor(pixels, N);
    const fromTensor = await odinScores(logitsFn, asTensor, { temperature: 5, epsilon: 0.02 });
    asTensor.dispose();
    const before = tf.memory().numTensors;
    const fromPixels = await odinScores(logitsFn, { pixels, count: N, toTensor }, { temperature: 5, epsilon: 0.02, batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(fromPixels.values)).toEqual(Array.from(fromTensor.values));

    const scaled = await odinScores(logitsFn, images, { temperature: 5, epsilon: 0.04, inputStd: 2 });
    const plain = await odinScores(logitsFn, images, { temperature: 5, epsilon: 0.02 });
    for (let i = 0; i < N; i++) expect(scaled.values[i]).toBeCloseTo(plain.values[i], 6);
  });

  it('does not leak tensors and validates options', async () => {
    const before = tf.memory().numTensors;
    await odinScores(logitsFn, images, { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    await expect(odinScores(logitsFn, images, { temperature: 0 })).rejects.toThrow(/temperature/);
    await expect(odinScores(logitsFn, images, { epsilon: -1 })).rejects.toThrow(/epsilon/);
    await expect(odinScores(logitsFn, images, { batchSize: 1.5 })).rejects.toThrow(/batchSize/);
  });
});
