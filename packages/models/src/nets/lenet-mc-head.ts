/**
 * MC dropout through LeNet's stochastic head (dropout → fc 800→500 → ReLU → dropout → fc 500→10),
 * T passes per image, exploiting the ReLU sparsity of the trunk output: about half of the 800
 * trunk features are exactly 0, and a dropped or zero feature contributes nothing, so each image
 * only needs the fc1 rows of its non-zero features. Per image: gather those k rows of W1, one
 * [T,k]×[k,500] matMul (instead of [T,800]×[800,500]); the rest of the head runs for a group of
 * images at once. The arithmetic is exactly MC dropout; only the work skipped is on zeros.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fillDropoutMask } from './lenet-dropout.js';

export interface McHeadWeights {
  /** fc1 kernel [800,500] as a host copy: gathering its rows in JS is ~50× faster than wasm's GatherV2. */
  fc1Kernel: Float32Array;
  fc1Bias: tf.Tensor1D; // [500]
  fc2Kernel: tf.Tensor2D; // [500, 10]
  fc2Bias: tf.Tensor1D; // [10]
}

/** Images whose fc2/softmax run together (bounds memory: group·T rows of 500 floats). */
const GROUP = 16;

/**
 * Writes probabilities for images `first..first+n` into `out` (layout [t, image, class] with
 * `total` images per pass). `trunk` holds the n×800 trunk outputs; `seeds` one seed per image.
 */
export async function mcHeadProbs(
  w: McHeadWeights,
  trunk: Float32Array,
  n: number,
  passes: number,
  rate: number,
  seeds: Int32Array,
  out: Float32Array,
  first: number,
  total: number,
): Promise<void> {
  const features = 800;
  const hidden = w.fc1Bias.shape[0];
  // Reused host buffers (tensor creation copies them into the backend).
  const nz = new Int32Array(features);
  const inputs = new Float32Array(passes * features);
  const rows = new Float32Array(features * hidden);
  for (let g0 = 0; g0 < n; g0 += GROUP) {
    const g1 = Math.min(n, g0 + GROUP);
    const probs = tf.tidy(() => {
      const hs: tf.Tensor2D[] = [];
      for (let i = g0; i < g1; i++) {
        const row = trunk.subarray(i * features, (i + 1) * features);
        let k = 0;
        for (let j = 0; j < features; j++) if (row[j] !== 0) nz[k++] = j;
        if (k === 0) nz[k++] = 0; // an all-zero input still needs one (zero) column
        const x = fillDropoutMask(inputs.subarray(0, passes * k), rate, seeds[i]);
        for (let t = 0; t < passes; t++) {
          const base = t * k;
          for (let j = 0; j < k; j++) x[base + j] *= row[nz[j]];
        }
        for (let j = 0; j < k; j++) rows.set(w.fc1Kernel.subarray(nz[j] * hidden, (nz[j] + 1) * hidden), j * hidden);
        const a = tf.tensor2d(x, [passes, k]);
        const b = tf.tensor2d(rows.subarray(0, k * hidden), [k, hidden]);
        hs.push(tf.fused.matMul({ a, b, bias: w.fc1Bias, activation: 'relu' }) as tf.Tensor2D);
      }
      const h = hs.length === 1 ? hs[0] : tf.concat(hs, 0);
      // Second mask per image too (not per group), so any split of the images gives the same numbers.
      const m2 = new Float32Array(h.size);
      for (let i = g0; i < g1; i++) fillDropoutMask(m2.subarray((i - g0) * passes * hidden, (i - g0 + 1) * passes * hidden), rate, seeds[i] ^ 0x5bd1e995);
      const m2t = tf.tensor2d(m2, [h.shape[0], hidden]);
      return tf.softmax(tf.fused.matMul({ a: tf.mul(h, m2t), b: w.fc2Kernel, bias: w.fc2Bias }));
    });
    const values = await probs.data();
    probs.dispose();
    for (let i = g0; i < g1; i++) {
      const local = (i - g0) * passes;
      for (let t = 0; t < passes; t++) {
        out.set(values.subarray((local + t) * 10, (local + t + 1) * 10), (t * total + first + i) * 10);
      }
    }
  }
}
