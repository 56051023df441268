import { createRng } from '@rdl/core';
import { adam } from '../training/adam.js';
import { fit } from '../training/fit.js';
import type { MlpWeights } from './binary-mlp.js';

export interface FastTrainOptions {
  learningRate: number;
  weightDecay: number;
  weightDecayMode: 'l2' | 'decoupled';
  epochs: number;
  dropout: number;
  /** Seeds the training dropout masks. */
  seed: number;
}

/** Float64 parameters of the 2 → H → 1 net: [w1 (2×H), b1 (H), w2 (H), b2 (1)]. */
export type MlpParams64 = [Float64Array, Float64Array, Float64Array, Float64Array];

export interface MlpLossOptions {
  /** ½λ‖θ‖² added to the loss (and λθ to the gradient) when λ > 0. */
  l2: number;
  dropout: number;
  /** Uniform draws in [0, 1) for the dropout masks (n·H per call); unused when dropout = 0. */
  uniform?: () => number;
}

/**
 * Mean BCE (+ ½λ‖θ‖²) of the 2 → H → 1 ReLU net and its exact gradient, float64. Dropout is
 * inverted (kept units scaled by 1/(1 − p)); the mask is drawn from `uniform`.
 */
export function mlpLossAndGradient(
  theta: MlpParams64,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  o: MlpLossOptions,
  grads: MlpParams64 = theta.map((t) => new Float64Array(t.length)) as MlpParams64,
): { loss: number; grads: MlpParams64 } {
  const n = y.length;
  const h = theta[1].length;
  const [w1, b1, w2, b2] = theta;
  const [gw1, gb1, gw2, gb2] = grads;
  for (const g of grads) g.fill(0);
  const act = new Float64Array(h);
  const keepScale = o.dropout > 0 ? 1 / (1 - o.dropout) : 1;
  const uniform = o.uniform ?? Math.random;
  let nll = 0;
  for (let i = 0; i < n; i++) {
    const x1 = x[2 * i];
    const x2 = x[2 * i + 1];
    let z = b2[0];
    for (let j = 0; j < h; j++) {
      const a = x1 * w1[j] + x2 * w1[h + j] + b1[j];
      let hv = a > 0 ? a : 0;
      if (o.dropout > 0) hv = uniform() < o.dropout ? 0 : hv * keepScale;
      act[j] = hv;
      z += hv * w2[j];
    }
    // BCE with logits: softplus(z) − y·z; d/dz = σ(z) − y.
    nll += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
    const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    const dz = (p - y[i]) / n;
    gb2[0] += dz;
    for (let j = 0; j < h; j++) {
      const hv = act[j];
      gw2[j] += hv * dz;
      // hv > 0 ⇔ the unit is active (ReLU) and kept (dropout): only then does the gradient pass.
      if (hv > 0) {
        const da = dz * w2[j] * keepScale;
        gw1[j] += x1 * da;
        gw1[h + j] += x2 * da;
        gb1[j] += da;
      }
    }
  }
  let loss = nll / n;
  if (o.l2 > 0) {
    let sq = 0;
    theta.forEach((t, k) => {
      for (let q = 0; q < t.length; q++) {
        sq += t[q] * t[q];
        grads[k][q] += o.l2 * t[q];
      }
    });
    loss += 0.5 * o.l2 * sq;
  }
  return { loss, grads };
}

/**
 * Full-batch Adam for the 2 → H → 1 ReLU net on `mlpLossAndGradient`. The tfjs cpu backend pays
 * ~1 ms of dispatch per op on these tiny shapes (≈ 10–20 s per 1000 steps); this loop does the
 * same arithmetic in about a second. Adam as in PyTorch (`adam`: β = 0.9, 0.999, ε = 1e-8, bias
 * correction; 'decoupled' = AdamW: decay, then step). Mutates `w` in place; returns each epoch's
 * loss (before its step).
 */
export function trainMlpWeights(w: MlpWeights, x: ArrayLike<number>, y: ArrayLike<number>, o: FastTrainOptions): Float64Array {
  const params = [w.w1, w.b1, w.w2, w.b2];
  const theta = params.map((p) => Float64Array.from(p)) as MlpParams64;
  const grads = params.map((p) => new Float64Array(p.length)) as MlpParams64;
  const rng = createRng(o.seed);
  const lossOpts: MlpLossOptions = {
    l2: o.weightDecayMode === 'l2' ? o.weightDecay : 0,
    dropout: o.dropout,
    uniform: rng.next,
  };
  const optimizer = adam({ learningRate: o.learningRate, weightDecay: o.weightDecayMode === 'decoupled' ? o.weightDecay : 0 });
  const { epochLosses } = fit({ epochs: o.epochs, count: y.length, batchSize: null }, () => {
    const { loss } = mlpLossAndGradient(theta, x, y, lossOpts, grads);
    optimizer.step(theta, grads);
    return loss;
  });
  theta.forEach((t, k) => params[k].set(t));
  return epochLosses;
}
