import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { checkBinaryData } from '../logistic/logistic-map.js';
import { reseedVariational } from './variational-models.js';

/**
 * A binary classifier whose forward pass is random (VI weight samples, MC dropout masks).
 * Implemented by the MLPs in ../mlp; LayersModels with LinearVariational layers are handled directly.
 */
export interface StochasticBinaryClassifier {
  /** Restart the sampling stream so the next passes are reproducible. */
  reseed(seed: number): void;
  /** One stochastic pass: logits of shape [n, 1] for x of shape [n, 2]. */
  sampleLogits(x: tf.Tensor2D): tf.Tensor;
}

function isLayersModel(m: LayersModel | StochasticBinaryClassifier): m is LayersModel {
  return typeof (m as LayersModel).apply === 'function' && Array.isArray((m as LayersModel).layers);
}

/**
 * S stochastic passes over x (n×2) → Float64Array S×N (row s = pass s) of p(y = 1 | x).
 * One pass = one weight sample (or dropout mask) for ALL points, as a posterior function draw.
 * The whole x goes through one call (not model.predict, whose batching would redraw weights per batch).
 * Same model, x, samples and seed ⇒ identical output.
 */
export function predictiveSamples(model: LayersModel | StochasticBinaryClassifier, x: Float32Array, samples = 100, seed = 0): Float64Array {
  if (!Number.isInteger(samples) || samples <= 0) throw new Error(`samples must be a positive integer, got ${samples}`);
  const n = checkBinaryData(x);
  const out = new Float64Array(samples * n);
  if (isLayersModel(model)) reseedVariational(model, seed);
  else model.reseed(seed);
  const xt = tf.tensor2d(x, [n, 2]);
  try {
    for (let s = 0; s < samples; s++) {
      const p = tf.tidy(() => {
        const logits = isLayersModel(model) ? (model.apply(xt) as tf.Tensor) : model.sampleLogits(xt);
        return tf.sigmoid(logits);
      });
      out.set(p.dataSync(), s * n);
      p.dispose();
    }
  } finally {
    xt.dispose();
  }
  return out;
}
