import { deserializeWeights, LeNet, serializeWeights, type LeNetWeights } from '@rdl/models';
import { z } from 'zod';
import type { BinaryArtifact } from '../../core/artifacts.js';

/** What train-lenet stores beside the weights so a reader rebuilds the same network. */
export const lenetMetaSchema = z.object({ dropout: z.number(), seed: z.number().int() });
export type LenetMeta = z.infer<typeof lenetMetaSchema>;

export function lenetToArtifact(model: LeNet): BinaryArtifact {
  return serializeWeights(model.getWeights());
}

/** Rebuilds the trained LeNet from its checkpoint (the caller disposes it). */
export function lenetFromArtifact(weights: BinaryArtifact, meta: LenetMeta): LeNet {
  const model = LeNet.create({ dropout: meta.dropout, seed: meta.seed });
  model.setWeights(deserializeWeights(weights.manifest, weights.data) as LeNetWeights);
  return model;
}

/**
 * Deterministic (dropout off) softmax probabilities from the 500-d hidden features: the last
 * layer is a 500→10 matMul, so computing it here saves running the convolutional trunk twice
 * (once for features, once for probabilities). Float64 sums; rows sum to 1.
 */
export function probsFromHidden(features: Float32Array, count: number, weights: BinaryArtifact): Float32Array {
  const w = deserializeWeights(weights.manifest, weights.data);
  const kernel = w.fc2_kernel;
  const bias = w.fc2_bias;
  if (!kernel || !bias) throw new Error('LeNet checkpoint: fc2_kernel / fc2_bias missing');
  const [hiddenSize, classes] = kernel.shape as [number, number];
  if (features.length !== count * hiddenSize) throw new Error(`probsFromHidden: ${features.length} features for ${count}×${hiddenSize}`);
  const out = new Float32Array(count * classes);
  const logits = new Float64Array(classes);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < classes; c++) logits[c] = bias.values[c]!;
    const base = i * hiddenSize;
    for (let j = 0; j < hiddenSize; j++) {
      const h = features[base + j]!;
      if (h === 0) continue; // post-ReLU: about half the features are exactly 0
      const row = j * classes;
      for (let c = 0; c < classes; c++) logits[c] += h * kernel.values[row + c]!;
    }
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      logits[c] = Math.exp(logits[c]! - max);
      sum += logits[c]!;
    }
    for (let c = 0; c < classes; c++) out[i * classes + c] = logits[c]! / sum;
  }
  return out;
}
