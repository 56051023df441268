import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRng } from '@rdl/core';
import { createOdin, gridPoints, ODIN_SPACE, scoreGrid, selectBest, type OdinParams, type Score } from '../../src/index.js';

// A linear classifier on 1×2×1 "images" (as in ../odin.test.ts).
let weight: tf.Tensor2D;
const logitsFn = (x: tf.Tensor4D): tf.Tensor2D => tf.matMul(tf.reshape(x, [x.shape[0], 2]), weight);
const rng = createRng(11);
const N = 7;
const points = Array.from({ length: N }, () => [rng.uniform(-2, 2), rng.uniform(-2, 2)]);
let images: tf.Tensor4D;
let out: tf.Tensor4D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  weight = tf.tensor2d([
    [1, -1, 0.5],
    [0.5, 2, -1],
  ]);
  images = tf.tensor4d(points.flat(), [N, 1, 2, 1]);
  out = tf.tensor4d(
    points.flatMap(([a, b]) => [a! * 0.1, b! * 0.1]),
    [N, 1, 2, 1],
  ); // near the origin: low confidence
});

/**
 * ODIN written again with plain tfjs ops, sharing no code with src/odin.ts: logits, ŷ = argmax,
 * ∇ₓ log softmax(f(x)/T)_ŷ by tf.grad, x̃ = x + ε·sign(∇), score = max softmax(f(x̃)/T).
 */
function odinPlainTf(x: tf.Tensor4D, p: OdinParams): Score {
  const values = tf.tidy(() => {
    const yHat = tf.argMax(logitsFn(x), 1);
    const oneHot = tf.oneHot(yHat, 3);
    const logProb = (input: tf.Tensor) => tf.sum(tf.mul(tf.logSoftmax(tf.div(logitsFn(input as tf.Tensor4D), p.temperature)), oneHot));
    const grad = tf.grad(logProb)(x);
    const nudged = tf.add(x, tf.mul(tf.sign(grad), p.epsilon)) as tf.Tensor4D;
    return tf.max(tf.softmax(tf.div(logitsFn(nudged), p.temperature)), 1).dataSync() as Float32Array;
  });
  return { name: 'odin', values: Float32Array.from(values), direction: 'higher-is-more-confident' };
}

describe('createOdin', () => {
  it('declares the paper grid, temperatures outer, and its defaults T = 1000, ε = 0.0014', () => {
    const odin = createOdin(logitsFn);
    expect(odin.space).toBe(ODIN_SPACE);
    expect(odin.defaults).toEqual({ temperature: 1000, epsilon: 0.0014 });
    expect(gridPoints(odin.space).slice(0, 2)).toEqual([
      { temperature: 1, epsilon: 0 },
      { temperature: 1, epsilon: 0.0005 },
    ]);
  });

  it('scores the whole grid like ODIN in plain tfjs at each point, without leaking tensors', async () => {
    const odin = createOdin(logitsFn, { batchSize: 3 });
    const grid = gridPoints<OdinParams>({ temperature: [1, 10], epsilon: [0, 0.05, 0.1] });
    const before = tf.memory().numTensors;
    const scores = await scoreGrid(odin, images, grid);
    expect(tf.memory().numTensors).toBe(before);
    for (const [k, p] of grid.entries()) {
      const one = odinPlainTf(images, p);
      scores[k]!.values.forEach((v, i) => expect(Math.abs(v - one.values[i]!), `${JSON.stringify(p)} point ${i}`).toBeLessThan(1e-6));
      expect(scores[k]!.direction).toBe('higher-is-more-confident');
    }
    // ε really moves the scores here (by far more than the tolerance above).
    expect(Math.abs(scores[2]!.values[0]! - scores[0]!.values[0]!)).toBeGreaterThan(1e-3);
    expect(Array.from((await odin.score(images, { temperature: 10, epsilon: 0.05 })).values)).toEqual(Array.from(scores[4]!.values));
  });

  it('the one grid search chooses the point with the best criterion, computed independently', async () => {
    const odin = createOdin(logitsFn, { batchSize: 4 });
    const mean = (s: Score) => Array.from(s.values).reduce((a, b) => a + b, 0) / s.values.length;
    // A criterion with an interior optimum, so the choice is not a corner of the grid by accident.
    const criterion = (inScore: Score, outScore: Score) => -Math.abs(mean(inScore) - mean(outScore) - 0.2);
    const grid = gridPoints<OdinParams>({ temperature: [1, 3, 10], epsilon: [0, 0.01, 0.1] });
    const [inScores, outScores] = [await scoreGrid(odin, images, grid), await scoreGrid(odin, out, grid)];
    const result = selectBest(grid.map((params, k) => ({ params, value: criterion(inScores[k]!, outScores[k]!) })));
    let best = { params: grid[0]!, value: -Infinity };
    for (const params of grid) {
      const value = criterion(odinPlainTf(images, params), odinPlainTf(out, params));
      if (value > best.value) best = { params, value };
    }
    expect(result.best).toEqual(best.params);
    expect(result.value).toBeCloseTo(best.value, 6);
    expect(new Set(result.table.map((r) => r.value)).size).toBeGreaterThan(3); // the grid really varies
  });
});
