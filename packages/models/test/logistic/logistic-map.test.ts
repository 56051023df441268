import { describe, expect, it } from 'vitest';
import { blobsDataset } from '@rdl/data';
import {
  logisticLoss,
  logisticLossGradient,
  logisticMapConfigSchema,
  predictLogistic,
  trainLogisticMap,
} from '../../src/logistic/index.js';

/** The SPEC's two blobs, from the same generator the pipeline uses. */
function blobs(n: number, seed: number, std = 0.8): { x: Float32Array; y: Uint8Array } {
  const { x, y } = blobsDataset({ n, seed, std });
  return { x, y };
}

function accuracy(p: Float64Array, y: Uint8Array): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if ((p[i] > 0.5 ? 1 : 0) === y[i]) ok++;
  return ok / y.length;
}

describe('MAP logistic regression', () => {
  it('has the SPEC defaults', () => {
    expect(logisticMapConfigSchema.parse({})).toMatchObject({ learningRate: 0.1, momentum: 0.9, weightDecay: 5e-2, epochs: 20 });
  });

  it('reaches ≥ 0.95 accuracy on separable blobs and lowers its loss', () => {
    const { x, y } = blobs(400, 1);
    const { weights, losses } = trainLogisticMap(x, y);
    expect(accuracy(predictLogistic(weights, x), y)).toBeGreaterThanOrEqual(0.95);
    const test = blobs(400, 2);
    expect(accuracy(predictLogistic(weights, test.x), test.y)).toBeGreaterThanOrEqual(0.95);
    expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
    // The reported losses are the regularised loss at the final weights.
    expect(losses[losses.length - 1]).toBeCloseTo(
      logisticLoss(weights, x, y, { weightDecay: 5e-2, regularizeBias: true, reduction: 'mean' }),
      12,
    );
  });

  it('ends near a stationary point of the regularised loss when run longer', () => {
    const { x, y } = blobs(200, 3);
    const { weights } = trainLogisticMap(x, y, { epochs: 400 });
    const opts = { weightDecay: 5e-2, regularizeBias: true, reduction: 'mean' as const };
    for (let j = 0; j < 3; j++) {
      const h = 1e-5;
      const up = Float64Array.from(weights);
      const dn = Float64Array.from(weights);
      up[j] += h;
      dn[j] -= h;
      expect(Math.abs((logisticLoss(up, x, y, opts) - logisticLoss(dn, x, y, opts)) / (2 * h))).toBeLessThan(1e-4);
    }
  });

  it('has an analytic gradient that matches finite differences (mean and sum)', () => {
    const { x, y } = blobs(60, 4);
    const w = [0.7, -1.3, 0.4];
    for (const reduction of ['mean', 'sum'] as const) {
      for (const regularizeBias of [true, false]) {
        const opts = { weightDecay: 5e-2, regularizeBias, reduction };
        const g = logisticLossGradient(w, x, y, opts);
        for (let j = 0; j < 3; j++) {
          const h = 1e-6;
          const up = [...w];
          const dn = [...w];
          up[j] += h;
          dn[j] -= h;
          const numeric = (logisticLoss(up, x, y, opts) - logisticLoss(dn, x, y, opts)) / (2 * h);
          expect(Math.abs(g[j] - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
        }
      }
    }
  });

  it('same seed ⇒ identical weights; another seed ⇒ different start', () => {
    const { x, y } = blobs(100, 4);
    const a = trainLogisticMap(x, y, { seed: 7 });
    const b = trainLogisticMap(x, y, { seed: 7 });
    const c = trainLogisticMap(x, y, { seed: 8 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Array.from(a.weights)).not.toEqual(Array.from(c.weights));
  });

  it('rejects bad configs and data with a message naming the field', () => {
    const { x, y } = blobs(10, 5);
    expect(() => trainLogisticMap(x, y, { learningRate: -1 })).toThrow(/learningRate/);
    expect(() => trainLogisticMap(x, y.subarray(0, 5))).toThrow(/y must have 10 labels/);
    expect(() => predictLogistic([1, 2], x)).toThrow(/weights/);
  });
});
