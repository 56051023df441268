import { parseOptions } from '@rdl/core';
import { z } from 'zod';
import { checkBinaryData, logisticLoss, logisticLossGradient, logisticSigmoid, type LogisticLossOptions } from './logistic-map.js';

/**
 * The MAP of the week-2 logistic regression run to convergence: Newton's method on the same
 * regularised loss `trainLogisticMap` minimises (mean BCE + ½λ‖θ‖²). The loss is convex (strictly,
 * when λ > 0 covers the bias), so Newton with a backtracking line search reaches its unique
 * minimum; the course's SGD (20 epochs) stops before it.
 */
export const logisticNewtonOptionsSchema = z.object({
  weightDecay: z.number().min(0).default(5e-2),
  regularizeBias: z.boolean().default(true),
  /** Stop when ‖∇L‖₂ of the mean loss is below this. */
  gradientTolerance: z.number().positive().default(1e-10),
  maxIterations: z.number().int().positive().default(100),
});
export type LogisticNewtonOptions = z.input<typeof logisticNewtonOptionsSchema>;

export interface LogisticNewtonResult {
  /** (w1, w2, b) at the minimum. */
  weights: Float64Array;
  /** Mean regularised loss before each Newton step, then at the returned weights. */
  losses: Float64Array;
  /** ‖∇L‖₂ at the returned weights (below `gradientTolerance`). */
  gradientNorm: number;
  iterations: number;
}

/** Hessian (3×3 row-major) of the loss of `logisticLoss` with the given reduction. */
export function logisticLossHessian(weights: ArrayLike<number>, x: ArrayLike<number>, opts: LogisticLossOptions): Float64Array {
  if (weights.length !== 3) throw new Error(`weights must be (w1, w2, b), got length ${weights.length}`);
  if (x.length % 2 !== 0) throw new Error(`x must be n×2 row-major, got length ${x.length}`);
  const n = x.length / 2;
  const h = new Float64Array(9);
  for (let i = 0; i < n; i++) {
    const phi = [x[2 * i]!, x[2 * i + 1]!, 1];
    const p = logisticSigmoid(weights[0]! * phi[0]! + weights[1]! * phi[1]! + weights[2]!);
    const c = p * (1 - p);
    // c·(φₐφᵦ), not (c·φₐ)·φᵦ: the product order must not depend on (a, b), or H is not exactly symmetric.
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) h[3 * a + b] += c * (phi[a]! * phi[b]!);
  }
  const scale = opts.reduction === 'mean' ? 1 / n : 1;
  const prior = opts.reduction === 'mean' ? opts.weightDecay : n * opts.weightDecay;
  for (let k = 0; k < 9; k++) h[k] *= scale;
  h[0] += prior;
  h[4] += prior;
  if (opts.regularizeBias) h[8] += prior;
  return h;
}

/** Solves the 3×3 system A d = g by Gaussian elimination with partial pivoting. */
function solve3(a: Float64Array, g: Float64Array): Float64Array {
  const m = [0, 1, 2].map((r) => [a[3 * r]!, a[3 * r + 1]!, a[3 * r + 2]!, g[r]!]);
  for (let c = 0; c < 3; c++) {
    let pivot = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    if (m[c]![c] === 0) throw new Error('logistic Newton: the Hessian is singular (set weightDecay > 0)');
    for (let r = c + 1; r < 3; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k < 4; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const d = new Float64Array(3);
  for (let r = 2; r >= 0; r--) {
    let s = m[r]![3]!;
    for (let k = r + 1; k < 3; k++) s -= m[r]![k]! * d[k]!;
    d[r] = s / m[r]![r]!;
  }
  return d;
}

const norm = (v: ArrayLike<number>): number => Math.hypot(...Array.from(v));

/**
 * Newton's method from `init` (default 0) with backtracking (Armijo) until ‖∇L‖ < gradientTolerance.
 * Throws if it has not converged after `maxIterations` steps.
 */
export function fitLogisticMapNewton(
  x: Float32Array | Float64Array,
  y: Uint8Array,
  options: LogisticNewtonOptions = {},
  init: ArrayLike<number> = [0, 0, 0],
): LogisticNewtonResult {
  const opts = parseOptions(logisticNewtonOptionsSchema, options ?? {}, 'logistic Newton options');
  const n = checkBinaryData(x, y);
  if (n === 0) throw new Error('x must hold at least one point');
  if (init.length !== 3) throw new Error(`init must be (w1, w2, b), got length ${init.length}`);
  const lossOpts: LogisticLossOptions = { weightDecay: opts.weightDecay, regularizeBias: opts.regularizeBias, reduction: 'mean' };
  const w = Float64Array.from(init);
  const losses: number[] = [];
  let loss = logisticLoss(w, x, y, lossOpts);
  let grad = logisticLossGradient(w, x, y, lossOpts);
  for (let it = 0; it < opts.maxIterations; it++) {
    if (norm(grad) < opts.gradientTolerance) {
      return { weights: w, losses: Float64Array.from([...losses, loss]), gradientNorm: norm(grad), iterations: it };
    }
    losses.push(loss);
    const step = solve3(logisticLossHessian(w, x, lossOpts), grad);
    const slope = -(grad[0]! * step[0]! + grad[1]! * step[1]! + grad[2]! * step[2]!);
    let t = 1;
    let candidate = w.map((v, j) => v - step[j]!);
    let candidateLoss = logisticLoss(candidate, x, y, lossOpts);
    // Near the minimum the predicted decrease (-slope / 2) falls below the float64 resolution of the
    // loss, where comparing losses is rounding noise and backtracking would stall the iteration: take
    // the full Newton step there (the quadratic model is exact to that order).
    const belowResolution = -slope <= 64 * Number.EPSILON * Math.abs(loss);
    // Armijo backtracking: a full Newton step can overshoot far from the minimum.
    while (!belowResolution && candidateLoss > loss + 1e-4 * t * slope && t > 1e-12) {
      t /= 2;
      candidate = w.map((v, j) => v - t * step[j]!);
      candidateLoss = logisticLoss(candidate, x, y, lossOpts);
    }
    w.set(candidate);
    loss = candidateLoss;
    grad = logisticLossGradient(w, x, y, lossOpts);
  }
  if (norm(grad) < opts.gradientTolerance) {
    return { weights: w, losses: Float64Array.from([...losses, loss]), gradientNorm: norm(grad), iterations: opts.maxIterations };
  }
  throw new Error(
    `logistic Newton: gradient norm ${norm(grad).toExponential(2)} still ≥ gradientTolerance ${opts.gradientTolerance} after ${opts.maxIterations} iterations`,
  );
}
