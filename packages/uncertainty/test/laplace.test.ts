import { describe, expect, it } from 'vitest';
import { blobsDataset } from '@rdl/data';
import { createRng } from '@rdl/core';
import { logisticLoss, trainLogisticMap } from '@rdl/models';
import { laplaceFit, laplacePredict, logisticHessian } from '../src/laplace.js';
import { binaryPredictiveEntropy } from '../src/binary-scores.js';

/** The SPEC's two blobs, from the same generator the pipeline uses. */
function blobs(n: number, seed: number, std = 0.8): { x: Float32Array; y: Uint8Array } {
  const { x, y } = blobsDataset({ n, seed, std });
  return { x, y };
}

/** Central-difference Hessian of f at θ (float64). */
function finiteDifferenceHessian(f: (t: Float64Array) => number, theta: Float64Array, h = 1e-4): number[] {
  const out: number[] = [];
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      const at = (da: number, db: number) => {
        const t = Float64Array.from(theta);
        t[a] += da;
        t[b] += db;
        return f(t);
      };
      out.push((at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h));
    }
  }
  return out;
}

describe('Laplace approximation for logistic regression', () => {
  // Overlapping blobs so p(1 − p) is not negligible everywhere.
  const { x, y } = blobs(150, 1, 1.6);
  const { weights } = trainLogisticMap(x, y);

  for (const objective of ['sum', 'mean'] as const) {
    for (const regularizeBias of [true, false]) {
      it(`Hessian = finite-difference Hessian of the same regularised loss (${objective}, bias ${regularizeBias ? 'in' : 'out of'} the penalty)`, () => {
        const opts = { weightDecay: 5e-2, regularizeBias, reduction: objective };
        const fd = finiteDifferenceHessian((t) => logisticLoss(t, x, y, opts), weights);
        const h = logisticHessian(weights, x, { weightDecay: 5e-2, regularizeBias, objective });
        const scale = Math.max(...Array.from(h, Math.abs));
        for (let k = 0; k < 9; k++) expect(Math.abs(h[k] - fd[k])).toBeLessThan(1e-5 * scale + 1e-6);
      });
    }
  }

  it('Σ is the inverse of H + damping·I and is symmetric positive definite', () => {
    const post = laplaceFit(weights, x, y, { damping: 1e-4 });
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let v = 0;
        for (let k = 0; k < 3; k++) v += (post.hessian[3 * a + k] + (a === k ? 1e-4 : 0)) * post.covariance[3 * k + b];
        expect(v).toBeCloseTo(a === b ? 1 : 0, 8);
        expect(post.covariance[3 * a + b]).toBe(post.covariance[3 * b + a]);
      }
      expect(post.covariance[4 * a]).toBeGreaterThan(0);
    }
    expect(Array.from(post.mean)).toEqual(Array.from(weights));
  });

  it('Monte Carlo (400 seeded draws) and probit predictives agree; samples are reproducible', () => {
    const post = laplaceFit(weights, x, y, { objective: 'mean' }); // the wide posterior: a harder test
    const rng = createRng(3);
    const grid = Float32Array.from({ length: 400 }, () => rng.uniform(-8, 8));
    const mc = laplacePredict(post, grid, { method: 'samples', samples: 400, seed: 5 });
    const pr = laplacePredict(post, grid, { method: 'probit' });
    expect(mc.samples).toHaveLength(400 * 200);
    expect(pr.samples).toBeUndefined();
    let maxDiff = 0;
    for (let i = 0; i < 200; i++) maxDiff = Math.max(maxDiff, Math.abs(mc.mean[i] - pr.mean[i]));
    // Probit error (≲ 0.02) plus MC error (≤ 0.5/√400 · 3 = 0.075 worst case).
    expect(maxDiff).toBeLessThan(0.08);
    const again = laplacePredict(post, grid, { method: 'samples', samples: 400, seed: 5 });
    expect(Array.from(again.mean)).toEqual(Array.from(mc.mean));
    const other = laplacePredict(post, grid, { method: 'samples', samples: 400, seed: 6 });
    expect(Array.from(other.mean)).not.toEqual(Array.from(mc.mean));
  });

  it('is more uncertain far from the data than near it (the report’s claim)', () => {
    const train = blobs(400, 4);
    const map = trainLogisticMap(train.x, train.y);
    const post = laplaceFit(map.weights, train.x, train.y);
    // Far: points along the decision boundary direction, well outside the blobs.
    const far = new Float32Array([-8, 8, 8, -8, -6, 7, 7, -6, -9, 6, 6, -9]);
    const near = laplacePredict(post, train.x, { samples: 400, seed: 1 });
    const farP = laplacePredict(post, far, { samples: 400, seed: 1 });
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    const hNear = mean(binaryPredictiveEntropy(near.samples as Float64Array, 400));
    const hFar = mean(binaryPredictiveEntropy(farP.samples as Float64Array, 400));
    expect(hFar).toBeGreaterThan(5 * hNear);
    // The logit variance grows with ‖φ‖.
    expect(Math.min(...farP.logitVariance)).toBeGreaterThan(Math.max(...near.logitVariance));
  });

  it('rejects bad inputs naming the field', () => {
    expect(() => laplaceFit(weights, x, y, { damping: -1 })).toThrow(/damping/);
    expect(() => laplaceFit([1, 2], x, y)).toThrow(/weights/);
    expect(() => laplaceFit(weights, x, y.subarray(1))).toThrow(/y must have/);
    const post = laplaceFit(weights, x, y);
    expect(() => laplacePredict(post, x, { method: 'exact' as 'probit' })).toThrow(/method/);
  });
});
