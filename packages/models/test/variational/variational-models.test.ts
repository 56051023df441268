import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { blobsDataset } from '@rdl/data';
import {
  LinearVariational,
  loadModelFromMemory,
  predictiveSamples,
  saveModelToMemory,
  trainVariationalLogistic,
  trainVariationalMlp,
  variationalLayers,
  variationalLogisticConfigSchema,
  variationalMlpConfigSchema,
} from '../../src/variational/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The SPEC's two blobs, from the same generator the pipeline uses. */
function blobs(n: number, seed: number): { x: Float32Array; y: Uint8Array } {
  const { x, y } = blobsDataset({ n, seed });
  return { x, y };
}

function rowMeans(s: Float64Array, passes: number): Float64Array {
  const n = s.length / passes;
  const m = new Float64Array(n);
  for (let k = 0; k < passes; k++) for (let i = 0; i < n; i++) m[i] += s[k * n + i] / passes;
  return m;
}

describe('variational models', () => {
  it('have the SPEC defaults', () => {
    expect(variationalLogisticConfigSchema.parse({})).toMatchObject({ learningRate: 0.1, epochs: 30, priorStd: 1, muInit: 0, rhoInit: 1 });
    expect(variationalMlpConfigSchema.parse({})).toMatchObject({ hiddenUnits: 50, epochs: 1000, learningRate: 0.1 });
  });

  it('variational logistic regression: the negative ELBO decreases and blobs are classified', () => {
    const { x, y } = blobs(200, 1);
    // Over several seeds: an initialisation can start near the optimum, so one seed's ratio says little.
    const ratios: number[] = [];
    for (const seed of [0, 1, 2, 3]) {
      const fit = trainVariationalLogistic(x, y, { seed });
      const first = fit.losses.slice(0, 3).reduce((a, b) => a + b) / 3;
      const last = fit.losses.slice(-5).reduce((a, b) => a + b) / 5;
      expect(last, `seed ${seed}`).toBeLessThan(first);
      ratios.push(last / first);
      const p = rowMeans(predictiveSamples(fit.model, x, 50, 1), 50);
      let ok = 0;
      for (let i = 0; i < y.length; i++) if ((p[i] > 0.5 ? 1 : 0) === y[i]) ok++;
      expect(ok / y.length, `seed ${seed}`).toBeGreaterThanOrEqual(0.95);
      fit.model.dispose();
    }
    ratios.sort((a, b) => a - b);
    expect((ratios[1]! + ratios[2]!) / 2).toBeLessThan(0.5);
  });

  it('single-sample KL mode also trains (ELBO decreases) on a toy MLP', () => {
    const { x, y } = blobs(100, 2);
    const fit = trainVariationalMlp(x, y, { hiddenUnits: 8, epochs: 60, klMode: 'single-sample', batchSize: 50, seed: 4 });
    const first = fit.losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = fit.losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last).toBeLessThan(first);
    expect(fit.kl.every((k) => Number.isFinite(k))).toBe(true);
    fit.model.dispose();
  });

  it('same seed ⇒ identical predictive samples; another seed ⇒ different; no tensor leak', () => {
    const { x, y } = blobs(60, 3);
    const before = tf.memory().numTensors;
    const fit = trainVariationalMlp(x, y, { hiddenUnits: 8, epochs: 20, seed: 5 });
    const a = predictiveSamples(fit.model, x, 10, 42);
    const b = predictiveSamples(fit.model, x, 10, 42);
    const c = predictiveSamples(fit.model, x, 10, 43);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    // Different passes really draw different weights.
    expect(Array.from(a.subarray(0, 60))).not.toEqual(Array.from(a.subarray(60, 120)));
    fit.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('training is reproducible with the default seed 0 (tfjs treats seed 0 as "unseeded")', () => {
    const { x, y } = blobs(60, 6);
    const a = trainVariationalMlp(x, y, { hiddenUnits: 6, epochs: 5 });
    const b = trainVariationalMlp(x, y, { hiddenUnits: 6, epochs: 5 });
    expect(Array.from(a.losses)).toEqual(Array.from(b.losses));
    expect(Array.from(predictiveSamples(a.model, x, 3, 0))).toEqual(Array.from(predictiveSamples(b.model, x, 3, 0)));
    a.model.dispose();
    b.model.dispose();
  });

  it('a saved and reloaded model predicts the same distribution under a fixed seed', async () => {
    const { x, y } = blobs(80, 4);
    const fit = trainVariationalMlp(x, y, { hiddenUnits: 8, epochs: 20, seed: 6, klMode: 'single-sample' });
    const artifacts = await saveModelToMemory(fit.model);
    const json = JSON.stringify(artifacts.modelTopology);
    expect(json).toContain('LinearVariational');
    const reloaded = await loadModelFromMemory(artifacts);
    const layers = variationalLayers(reloaded);
    expect(layers).toHaveLength(2);
    expect(layers[0]).toBeInstanceOf(LinearVariational);
    expect(layers[0].klMode).toBe('single-sample');
    const a = predictiveSamples(fit.model, x, 20, 9);
    const b = predictiveSamples(reloaded, x, 20, 9);
    expect(Array.from(b)).toEqual(Array.from(a));
    fit.model.dispose();
    reloaded.dispose();
  });

  it('rejects bad configs naming the field', () => {
    const { x, y } = blobs(10, 5);
    expect(() => trainVariationalLogistic(x, y, { klMode: 'bogus' as 'closed-form' })).toThrow(/klMode/);
    expect(() => trainVariationalMlp(x, y, { hiddenUnits: 0 })).toThrow(/hiddenUnits/);
  });
});
