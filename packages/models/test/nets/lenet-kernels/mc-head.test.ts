/**
 * The wasm MC dropout head, and the tfjs reference head of `tfjsBlocks`, against MC dropout
 * written out in float64 JavaScript with the same masks: dense inputs, dense first mask (its
 * values on the non-zero features, in their order), fc1, ReLU, second mask, fc2, softmax.
 * Float32 rounding leaves ~1e-7.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@rdl/core';
import { initBackend } from '@rdl/runtime';
import { dropoutMaskValues, tfjsBlocks } from '../../../src/index.js';
import { secondMaskSeed, type LeNetMcHead, type McHeadWeights } from '../../../src/nets/lenet-blocks.js';
import { McHead } from '../../../src/nets/lenet-kernels/mc-head.js';

function uniform(size: number, rng: ReturnType<typeof createRng>, scale = 1): Float32Array {
  return Float32Array.from({ length: size }, () => rng.uniform(-scale, scale));
}

function reference(w: McHeadWeights, trunk: Float32Array, n: number, passes: number, rate: number, seeds: Int32Array): Float64Array {
  const hidden = w.fc1Bias.length;
  const classes = w.fc2Bias.length;
  const features = w.fc1Kernel.length / hidden;
  const out = new Float64Array(passes * n * classes);
  for (let i = 0; i < n; i++) {
    const x = trunk.subarray(i * features, (i + 1) * features);
    const nz = [...x.keys()].filter((j) => x[j] !== 0);
    const m1 = dropoutMaskValues(passes * nz.length, rate, seeds[i]);
    const m2 = dropoutMaskValues(passes * hidden, rate, secondMaskSeed(seeds[i]));
    for (let t = 0; t < passes; t++) {
      const input = new Float64Array(features);
      nz.forEach((j, q) => (input[j] = x[j] * m1[t * nz.length + q]));
      const h = new Float64Array(hidden);
      for (let u = 0; u < hidden; u++) {
        let s = w.fc1Bias[u];
        for (let j = 0; j < features; j++) s += input[j] * w.fc1Kernel[j * hidden + u];
        h[u] = Math.max(s, 0) * m2[t * hidden + u];
      }
      const logits = Array.from({ length: classes }, (_, c) => {
        let s = w.fc2Bias[c];
        for (let u = 0; u < hidden; u++) s += h[u] * w.fc2Kernel[u * classes + c];
        return s;
      });
      const max = Math.max(...logits);
      const sum = logits.reduce((a, l) => a + Math.exp(l - max), 0);
      logits.forEach((l, c) => (out[(t * n + i) * classes + c] = Math.exp(l - max) / sum));
    }
  }
  return out;
}

describe('McHead (wasm SIMD MC dropout head)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true }); // for the tfjs reference head
  });

  for (const { features, hidden, classes, rate } of [
    { features: 800, hidden: 500, classes: 10, rate: 0.5 },
    { features: 13, hidden: 6, classes: 3, rate: 0.3 }, // hidden not a multiple of 4: padded lanes
    { features: 9, hidden: 8, classes: 4, rate: 0 },
  ]) {
    it(`matches float64 MC dropout and the tfjs head with the same masks (${features}→${hidden}→${classes}, p = ${rate})`, async () => {
      const rng = createRng(features + hidden);
      const w: McHeadWeights = {
        fc1Kernel: uniform(features * hidden, rng, 0.1),
        fc1Bias: uniform(hidden, rng, 0.1),
        fc2Kernel: uniform(hidden * classes, rng, 0.3),
        fc2Bias: uniform(classes, rng, 0.1),
      };
      const n = 5;
      const passes = 7;
      // ReLU-like trunk outputs: about half exact zeros, and one image that is all zeros.
      const trunk = Float32Array.from({ length: n * features }, () => Math.max(0, rng.uniform(-1, 1)));
      trunk.fill(0, 2 * features, 3 * features);
      const seeds = Int32Array.from({ length: n }, (_, i) => 1000 + 17 * i);
      const run = (head: LeNetMcHead): Float32Array => {
        const out = new Float32Array(passes * n * classes);
        // Two calls on the image halves, as batches do, written into one output.
        head.probs(trunk.subarray(0, 2 * features), 2, rate, seeds.subarray(0, 2), out, 0, n);
        head.probs(trunk.subarray(2 * features), n - 2, rate, seeds.subarray(2), out, 2, n);
        return out;
      };
      const got = run(await McHead.create(w, passes));
      const tfjs = run(await tfjsBlocks.mcHead(w, passes));
      const want = reference(w, trunk, n, passes, rate, seeds);
      const maxErr = (a: ArrayLike<number>): number => want.reduce((m, v, q) => Math.max(m, Math.abs(a[q] - v)), 0);
      const [err, tfjsErr] = [maxErr(got), maxErr(tfjs)];
      console.log(
        `McHead ${features}→${hidden}→${classes} p=${rate}: max abs error ${err.toExponential(2)} (tfjs head ${tfjsErr.toExponential(2)})`,
      );
      expect(err).toBeLessThan(2e-6);
      expect(tfjsErr).toBeLessThan(2e-6);
      if (rate > 0) expect(got.subarray(0, n * classes)).not.toEqual(got.subarray(n * classes, 2 * n * classes));
    });
  }

  it('rejects weights whose sizes do not fit together', async () => {
    const w = {
      fc1Kernel: new Float32Array(10),
      fc1Bias: new Float32Array(4),
      fc2Kernel: new Float32Array(8),
      fc2Bias: new Float32Array(2),
    };
    await expect(McHead.create(w, 3)).rejects.toThrow(/do not fit/);
  });
});
