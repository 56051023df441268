import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@rdl/runtime';
import { HostAdam } from '../../src/training/host-adam.js';
import { maxAbsDiff } from '../max-abs-diff.js';

describe('HostAdam', () => {
  it('matches tf.train.adam step for step (summing gradient parts first)', async () => {
    await initBackend({ backend: 'wasm' });
    const sizes = [7, 3];
    const start = sizes.map((n, k) => Float32Array.from({ length: n }, (_, i) => Math.sin(i + 10 * k)));
    const vars = start.map((w, k) => tf.variable(tf.tensor1d(w), true, `host_adam_test_${k}`));
    const ref = tf.train.adam(0.01);
    const host = await HostAdam.create(0.01, sizes);
    const hostWeights = start.map((w) => Float32Array.from(w));
    for (let step = 0; step < 5; step++) {
      const partA = sizes.map((n, k) => Float32Array.from({ length: n }, (_, i) => Math.cos(step * 3 + i + k)));
      const partB = sizes.map((n, k) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(step + 2 * i - k)));
      tf.tidy(() =>
        ref.applyGradients(vars.map((v, k) => ({ name: v.name, tensor: tf.add(tf.tensor1d(partA[k]), tf.tensor1d(partB[k])) }))),
      );
      host.step(hostWeights, [partA, partB]);
    }
    const worst = vars.reduce((m, v, k) => Math.max(m, maxAbsDiff(v.dataSync(), hostWeights[k])), 0);
    // The same float32 operations in the same order; a few ulps where rounding of the scalar
    // constants differs: ~1e-7 on weights of size ~1.
    console.log(`HostAdam vs tf.train.adam after 5 steps: max abs difference ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-6);
    expect(maxAbsDiff(hostWeights[0], start[0])).toBeGreaterThan(1e-3); // it did move
    tf.dispose(vars);
    ref.dispose();
  });
});
