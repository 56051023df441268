import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRng } from '@rdl/core';
import {
  BinaryMlp,
  mcDropoutMlpConfigSchema,
  mlpConfigSchema,
  mlpLossAndGradient,
  trainMcDropoutMlp,
  trainMlp,
  type MlpParams64,
} from '../../src/mlp/index.js';
import { predictiveSamples } from '../../src/variational/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Two interleaving half circles (sklearn's make_moons), small. */
function moons(n: number, noise: number, seed: number): { x: Float32Array; y: Uint8Array } {
  const rng = createRng(seed);
  const x = new Float32Array(2 * n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const t = Math.PI * rng.next();
    x[2 * i] = (y[i] === 1 ? 1 - Math.cos(t) : Math.cos(t)) + rng.normal(0, noise);
    x[2 * i + 1] = (y[i] === 1 ? 0.5 - Math.sin(t) : Math.sin(t)) + rng.normal(0, noise);
  }
  return { x, y };
}

function accuracy(p: ArrayLike<number>, y: Uint8Array): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if ((p[i] > 0.5 ? 1 : 0) === y[i]) ok++;
  return ok / y.length;
}

describe('MLPs', () => {
  it('have the SPEC defaults', () => {
    expect(mlpConfigSchema.parse({})).toMatchObject({ hiddenUnits: 50, learningRate: 0.1, weightDecay: 5e-2, epochs: 1000, dropout: 0 });
    expect(mcDropoutMlpConfigSchema.parse({}).dropout).toBe(0.2);
  });

  it('the deterministic MLP fits two moons (beyond a linear classifier) and is reproducible', () => {
    const { x, y } = moons(200, 0.05, 1);
    const a = trainMlp(x, y, { epochs: 200, seed: 2 });
    expect(a.losses[a.losses.length - 1]).toBeLessThan(0.2 * a.losses[0]);
    expect(accuracy(a.model.predict(x), y)).toBeGreaterThanOrEqual(0.97);
    const b = trainMlp(x, y, { epochs: 200, seed: 2 });
    expect(Array.from(b.model.predict(x))).toEqual(Array.from(a.model.predict(x)));
    // Without dropout every "stochastic" pass is the same function.
    const s = predictiveSamples(a.model, x, 3, 0);
    expect(Array.from(s.subarray(0, 200))).toEqual(Array.from(s.subarray(400, 600)));
    a.model.dispose();
    b.model.dispose();
  });

  it('MC dropout: passes differ, a fixed seed reproduces them, and their mean tracks the mean net', () => {
    const { x, y } = moons(200, 0.05, 3);
    const before = tf.memory().numTensors;
    const { model } = trainMcDropoutMlp(x, y, { epochs: 200, seed: 4 });
    const a = predictiveSamples(model, x, 30, 7);
    const b = predictiveSamples(model, x, 30, 7);
    expect(Array.from(a)).toEqual(Array.from(b));
    // Seed 0 too (tfjs would treat a raw 0 as "unseeded").
    expect(Array.from(predictiveSamples(model, x, 2, 0))).toEqual(Array.from(predictiveSamples(model, x, 2, 0)));
    expect(Array.from(a.subarray(0, 200))).not.toEqual(Array.from(a.subarray(200, 400)));
    const mean = new Float64Array(200);
    for (let s = 0; s < 30; s++) for (let i = 0; i < 200; i++) mean[i] += a[s * 200 + i] / 30;
    expect(accuracy(mean, y)).toBeGreaterThanOrEqual(0.95);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('coupled L2 weight decay (the literal PyTorch Adam setting) regularises harder than decoupled', () => {
    const { x, y } = moons(200, 0.05, 5);
    const l2 = trainMlp(x, y, { epochs: 150, weightDecayMode: 'l2', seed: 1 });
    const dec = trainMlp(x, y, { epochs: 150, weightDecayMode: 'decoupled', seed: 1 });
    const norm = (m: BinaryMlp) =>
      Object.values(m.getWeights())
        .filter((v) => typeof v !== 'number')
        .reduce((s, v) => s + (v as Float32Array).reduce((t, w) => t + w * w, 0), 0);
    expect(norm(l2.model)).toBeLessThan(norm(dec.model));
    l2.model.dispose();
    dec.model.dispose();
  });

  it('the fast js engine follows the tfjs autodiff reference step for step (checks the hand-written gradients)', () => {
    const { x, y } = moons(120, 0.1, 7);
    for (const weightDecayMode of ['l2', 'decoupled'] as const) {
      const cfg = { epochs: 25, hiddenUnits: 12, seed: 3, weightDecayMode };
      const js = trainMlp(x, y, { ...cfg, engine: 'js' });
      const ref = trainMlp(x, y, { ...cfg, engine: 'tfjs' });
      // Same update rule (Adam, and AdamW's decay-then-step for 'decoupled'): only float32 vs
      // float64 rounding apart, measured ≤ 2e-6 in loss and ≤ 2e-5 in weights after 25 steps.
      for (let e = 0; e < 25; e++) expect(Math.abs(js.losses[e] - ref.losses[e])).toBeLessThan(2e-5 * Math.max(1, ref.losses[e]));
      const pj = js.model.predict(x);
      const pr = ref.model.predict(x);
      for (let i = 0; i < 120; i++) expect(Math.abs(pj[i] - pr[i])).toBeLessThan(1e-4);
      const [wj, wr] = [js.model.getWeights(), ref.model.getWeights()];
      for (const k of ['w1', 'b1', 'w2', 'b2'] as const) wj[k].forEach((v, q) => expect(Math.abs(v - wr[k][q])).toBeLessThan(2e-4));
      js.model.dispose();
      ref.model.dispose();
    }
  });

  it('the js engine gradient equals central finite differences of its loss (float64, with and without dropout)', () => {
    const { x, y } = moons(40, 0.1, 8);
    const rng = createRng(9);
    const h = 6;
    const theta = [2 * h, h, h, 1].map((len) => Float64Array.from({ length: len }, () => rng.normal(0, 0.8))) as MlpParams64;
    for (const dropout of [0, 0.3]) {
      // The same mask for every evaluation: replay a fixed list of uniforms.
      const draws = Float64Array.from({ length: 40 * h }, () => rng.next());
      const opts = () => {
        let k = 0;
        return { l2: 5e-2, dropout, uniform: () => draws[k++] };
      };
      const { grads } = mlpLossAndGradient(theta, x, y, opts());
      let checked = 0;
      for (let p = 0; p < 4; p++) {
        for (let q = 0; q < theta[p].length; q++) {
          const eps = 1e-6;
          const keep = theta[p][q];
          theta[p][q] = keep + eps;
          const up = mlpLossAndGradient(theta, x, y, opts()).loss;
          theta[p][q] = keep - eps;
          const dn = mlpLossAndGradient(theta, x, y, opts()).loss;
          theta[p][q] = keep;
          expect(Math.abs((up - dn) / (2 * eps) - grads[p][q])).toBeLessThan(1e-6);
          checked++;
        }
      }
      expect(checked).toBe(4 * h + 1);
    }
  });

  it('rejects bad configs naming the field', () => {
    const { x, y } = moons(10, 0.05, 6);
    expect(() => trainMcDropoutMlp(x, y, { dropout: 1 })).toThrow(/dropout/);
    expect(() => trainMlp(x, y, { epochs: 0 })).toThrow(/epochs/);
  });
});
