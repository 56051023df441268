import { describe, expect, it } from 'vitest';
import { deriveSeed } from '@rdl/core';
import { blobsDataset } from '@rdl/data';
import {
  fitLogisticMapNewton,
  logisticLoss,
  logisticLossGradient,
  logisticLossHessian,
  trainLogisticMap,
} from '../../src/logistic/index.js';

const { x, y } = blobsDataset({ n: 400, seed: 3, std: 0.8 });
const opts = { weightDecay: 5e-2, regularizeBias: true, reduction: 'mean' as const };
const norm = (v: ArrayLike<number>): number => Math.hypot(...Array.from(v));

describe('converged MAP logistic regression (Newton)', () => {
  it('stops at a minimum: gradient norm below the tolerance, and no nearby point is lower', () => {
    const r = fitLogisticMapNewton(x, y, { weightDecay: 5e-2 });
    expect(r.gradientNorm).toBeLessThan(1e-10);
    expect(norm(logisticLossGradient(r.weights, x, y, opts))).toBeLessThan(1e-10);
    const best = logisticLoss(r.weights, x, y, opts);
    expect(r.losses[r.losses.length - 1]).toBe(best);
    for (const d of [
      [1e-3, 0, 0],
      [0, -1e-3, 0],
      [0, 0, 1e-3],
      [-1e-3, 1e-3, -1e-3],
    ]) {
      expect(
        logisticLoss(
          r.weights.map((w, j) => w + d[j]!),
          x,
          y,
          opts,
        ),
      ).toBeGreaterThan(best);
    }
  });

  it("is below the course's 20-epoch SGD, whose gradient is far from zero, and independent of the start", () => {
    const sgd = trainLogisticMap(x, y, { seed: 0 });
    const newton = fitLogisticMapNewton(x, y, { weightDecay: 5e-2 });
    expect(logisticLoss(newton.weights, x, y, opts)).toBeLessThan(logisticLoss(sgd.weights, x, y, opts));
    expect(norm(logisticLossGradient(sgd.weights, x, y, opts))).toBeGreaterThan(1e3 * newton.gradientNorm);
    const fromSgd = fitLogisticMapNewton(x, y, { weightDecay: 5e-2 }, sgd.weights);
    for (let j = 0; j < 3; j++) expect(fromSgd.weights[j]).toBeCloseTo(newton.weights[j]!, 8);
  });

  it('uses the exact Hessian (matches finite differences of the gradient, mean and sum)', () => {
    const w = [0.7, -0.4, 0.2];
    for (const reduction of ['mean', 'sum'] as const) {
      const o = { ...opts, reduction };
      const h = logisticLossHessian(w, x, o);
      const eps = 1e-5;
      for (let b = 0; b < 3; b++) {
        const plus = logisticLossGradient(
          w.map((v, j) => (j === b ? v + eps : v)),
          x,
          y,
          o,
        );
        const minus = logisticLossGradient(
          w.map((v, j) => (j === b ? v - eps : v)),
          x,
          y,
          o,
        );
        for (let a = 0; a < 3; a++) {
          const fd = (plus[a]! - minus[a]!) / (2 * eps);
          expect(Math.abs(h[3 * a + b]! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
        }
      }
    }
  });

  it("does not stall where the predicted decrease is below the loss's float64 resolution (week 2's blobs, study seed 3)", () => {
    // Armijo compared losses that differ by less than their rounding there, backtracked to nothing,
    // and stopped at ‖∇L‖ = 3.35e-10 after 100 iterations; the full Newton step converges.
    const data = blobsDataset({ seed: deriveSeed(3, 'week2/datasets/blobs') });
    const r = fitLogisticMapNewton(data.x, data.y, { gradientTolerance: 1e-14 });
    expect(r.iterations).toBeLessThan(20);
    expect(r.gradientNorm).toBeLessThan(1e-14);
  });

  it('says so when it cannot converge within maxIterations, and names bad options', () => {
    expect(() => fitLogisticMapNewton(x, y, { weightDecay: 5e-2, maxIterations: 1 }, [5, -5, 3])).toThrow(
      /still ≥ gradientTolerance .* after 1 iterations/,
    );
    expect(() => fitLogisticMapNewton(x, y, { weightDecay: -1 })).toThrow(/weightDecay/);
  });
});
