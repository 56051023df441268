import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRng } from '@rdl/core';
import { closedFormKl, createVariationalMlp, singleSampleKl, variationalLayers } from '../../src/variational/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('LinearVariational KL', () => {
  it('closed form agrees with the Monte-Carlo mean of the single-sample estimate (within 4 SE)', () => {
    const rng = createRng(11);
    const d = 6;
    const mu = tf.tensor1d(Array.from({ length: d }, () => rng.normal(0, 1.5)));
    const sigma = tf.tensor1d(Array.from({ length: d }, () => rng.uniform(0.2, 2)));
    const priorStd = 1.3;
    const exact = closedFormKl(mu, sigma, priorStd).dataSync()[0];
    const draws = 20000;
    const values = tf.tidy(() => {
      const eps = tf.randomNormal([draws, d], 0, 1, 'float32', 5);
      const w = tf.add(mu, tf.mul(sigma, eps));
      // Row-wise single-sample estimates via the same function, one row at a time is slow: vectorise.
      const logQ = tf.neg(tf.add(tf.log(sigma), tf.div(tf.square(eps), 2)));
      const logP = tf.neg(tf.add(Math.log(priorStd), tf.div(tf.square(w), 2 * priorStd * priorStd)));
      return tf.sum(tf.sub(logQ, logP), 1);
    });
    const v = values.dataSync();
    let mean = 0;
    for (const a of v) mean += a / draws;
    let varSum = 0;
    for (const a of v) varSum += (a - mean) ** 2;
    const se = Math.sqrt(varSum / (draws - 1) / draws);
    expect(Math.abs(mean - exact)).toBeLessThan(4 * se);
    // The exported single-sample function equals the vectorised formula on one draw.
    const one = tf.tidy(() => {
      const eps = tf.randomNormal([d], 0, 1, 'float32', 9);
      const w = tf.add(mu, tf.mul(sigma, eps));
      const f = singleSampleKl(w, sigma, eps, priorStd).dataSync()[0];
      const logQ = tf.neg(tf.add(tf.log(sigma), tf.div(tf.square(eps), 2)));
      const logP = tf.neg(tf.add(Math.log(priorStd), tf.div(tf.square(w), 2 * priorStd * priorStd)));
      return [f, tf.sum(tf.sub(logQ, logP)).dataSync()[0]];
    });
    expect(one[0]).toBeCloseTo(one[1], 4);
    // Sanity: KL(q‖q) = 0 when q is the prior.
    expect(closedFormKl(tf.zeros([3]), tf.fill([3], priorStd), priorStd).dataSync()[0]).toBeCloseTo(0, 5);
    values.dispose();
  });

  it('records KL on training passes only, and its closed form matches klDivergence()', () => {
    const model = createVariationalMlp({ hiddenUnits: 4, priorStd: 1, muInit: 0, rhoInit: 1, klMode: 'closed-form', seed: 1 });
    const x = tf.tensor2d([0.5, -1, 2, 0.3], [2, 2]);
    const layers = variationalLayers(model);
    tf.dispose(model.apply(x) as tf.Tensor);
    expect(layers.map((l) => l.takeKl().dataSync()[0])).toEqual([0, 0]);
    tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    const taken = layers.map((l) => l.takeKl().dataSync()[0]);
    const exact = layers.map((l) => l.klDivergence().dataSync()[0]);
    // Two passes recorded ⇒ twice the closed form; μ = 0, σ = softplus(1) ⇒ KL > 0.
    taken.forEach((k, i) => expect(k).toBeCloseTo(2 * exact[i], 3));
    expect(exact[0]).toBeGreaterThan(0);
    // 2·4 + 4 parameters in layer 1, each KL(N(0, s²)‖N(0, 1)) with s = softplus(1).
    const s = Math.log1p(Math.E);
    expect(exact[0]).toBeCloseTo(12 * (-Math.log(s) + (s * s) / 2 - 0.5), 3);
    x.dispose();
    model.dispose();
  });
});
