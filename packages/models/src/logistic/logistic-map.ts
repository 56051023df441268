import { createRng } from '@rdl/core';
import { fit } from '../training/fit.js';
import { sgd } from '../training/sgd.js';
import { logisticMapConfigSchema, parseClassifierConfig, type LogisticMapConfigInput } from './config.js';

/** Numerically stable σ(z). */
export function logisticSigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Throws unless x is n×2 and y holds n labels in {0, 1}. Returns n. */
export function checkBinaryData(x: Float32Array | Float64Array, y?: Uint8Array): number {
  if (x.length % 2 !== 0) throw new Error(`x must be n×2 row-major, got length ${x.length}`);
  const n = x.length / 2;
  if (y !== undefined) {
    if (y.length !== n) throw new Error(`y must have ${n} labels (one per row of x), got ${y.length}`);
    for (let i = 0; i < n; i++) if (y[i] > 1) throw new Error(`y must hold 0/1 labels, y[${i}] = ${y[i]}`);
  }
  return n;
}

export interface LogisticLossOptions {
  weightDecay: number;
  regularizeBias: boolean;
  /** 'mean': the training loss (mean NLL + ½λ‖θ‖²); 'sum': N × that, the negative log posterior. */
  reduction: 'mean' | 'sum';
}

/**
 * The regularised loss minimised by `trainLogisticMap` (see config.ts for the convention).
 * Float64 throughout so finite differences of it are accurate.
 */
export function logisticLoss(weights: ArrayLike<number>, x: Float32Array | Float64Array, y: Uint8Array, opts: LogisticLossOptions): number {
  const n = checkBinaryData(x, y);
  let nll = 0;
  for (let i = 0; i < n; i++) {
    const a = weights[0] * x[2 * i] + weights[1] * x[2 * i + 1] + weights[2];
    // BCE with logits: softplus(a) − y·a.
    nll += softplus(a) - y[i] * a;
  }
  let sq = weights[0] ** 2 + weights[1] ** 2;
  if (opts.regularizeBias) sq += weights[2] ** 2;
  const mean = nll / n + 0.5 * opts.weightDecay * sq;
  return opts.reduction === 'mean' ? mean : n * mean;
}

/** Gradient of `logisticLoss` with respect to (w1, w2, b). */
export function logisticLossGradient(
  weights: ArrayLike<number>,
  x: Float32Array | Float64Array,
  y: Uint8Array,
  opts: LogisticLossOptions,
): Float64Array {
  const n = checkBinaryData(x, y);
  const grad = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    const x1 = x[2 * i];
    const x2 = x[2 * i + 1];
    const r = logisticSigmoid(weights[0] * x1 + weights[1] * x2 + weights[2]) - y[i];
    grad[0] += r * x1;
    grad[1] += r * x2;
    grad[2] += r;
  }
  for (let j = 0; j < 3; j++) {
    grad[j] /= n;
    if (j < 2 || opts.regularizeBias) grad[j] += opts.weightDecay * weights[j];
    if (opts.reduction === 'sum') grad[j] *= n;
  }
  return grad;
}

export interface LogisticMapResult {
  /** (w1, w2, b). */
  weights: Float64Array;
  /** Regularised training loss before each epoch's step, then the final loss (epochs + 1 values). */
  losses: Float64Array;
}

/**
 * MAP logistic regression by full-batch SGD with momentum (`sgd`, PyTorch semantics: v ← μv + g,
 * θ ← θ − lr·v). Exact float64 gradients; 20 steps on 400 points need no tensor library.
 */
export function trainLogisticMap(x: Float32Array | Float64Array, y: Uint8Array, config: LogisticMapConfigInput = {}): LogisticMapResult {
  const cfg = parseClassifierConfig(logisticMapConfigSchema, config, 'logistic MAP');
  const n = checkBinaryData(x, y);
  if (n === 0) throw new Error('x must hold at least one point');
  const rng = createRng(cfg.seed);
  const bound = 1 / Math.sqrt(2);
  const w = Float64Array.from({ length: 3 }, () => rng.uniform(-bound, bound));
  const lossOpts: LogisticLossOptions = {
    weightDecay: cfg.weightDecay,
    regularizeBias: cfg.regularizeBias,
    reduction: 'mean',
  };
  const optimizer = sgd({ learningRate: cfg.learningRate, momentum: cfg.momentum });
  const { epochLosses } = fit({ epochs: cfg.epochs, count: n, batchSize: null }, () => {
    const loss = logisticLoss(w, x, y, lossOpts);
    optimizer.step([w], [logisticLossGradient(w, x, y, lossOpts)]);
    return loss;
  });
  const losses = new Float64Array(cfg.epochs + 1);
  losses.set(epochLosses);
  losses[cfg.epochs] = logisticLoss(w, x, y, lossOpts);
  return { weights: w, losses };
}

/** p(y = 1 | x) = σ(w1·x1 + w2·x2 + b) for each row of x (n×2). */
export function predictLogistic(weights: ArrayLike<number>, x: Float32Array | Float64Array): Float64Array {
  if (weights.length !== 3) throw new Error(`weights must be (w1, w2, b), got length ${weights.length}`);
  const n = checkBinaryData(x);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = logisticSigmoid(weights[0] * x[2 * i] + weights[1] * x[2 * i + 1] + weights[2]);
  return out;
}
