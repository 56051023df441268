import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRng, permutation } from '@rdl/core';
import { auprError, confidNetScores, trainConfidNet, type ConfidNetValidation } from '../src/index.js';

// A synthetic classifier: feature 0 predicts its errors (wrong 90 % of the time when f0 > 0.8,
// 2 % otherwise); its MCP is informative too (lower on errors, with noise). ConfidNet sees the
// features only, never the MCP.
const D = 6;
interface Split extends ConfidNetValidation {
  mcp: Float32Array;
}
function synthetic(n: number, seed: number): Split {
  const rng = createRng(seed);
  const features = new Float32Array(n * D);
  const tcp = new Float32Array(n);
  const errors = new Uint8Array(n);
  const mcp = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < D; d++) features[i * D + d] = rng.next();
    errors[i] = rng.next() < (features[i * D] > 0.8 ? 0.9 : 0.02) ? 1 : 0;
    tcp[i] = errors[i] ? 0.1 + 0.2 * rng.next() : 0.85 + 0.15 * rng.next();
    mcp[i] = Math.min(1, Math.max(0.1, 0.9 - 0.3 * errors[i] + rng.normal(0, 0.15)));
  }
  return { features, tcp, errors, mcp };
}

/** The same split with feature 0 permuted across rows: it no longer says anything about the errors. */
function shuffled(split: Split, seed: number): Split {
  const order = permutation(split.tcp.length, createRng(seed));
  const features = Float32Array.from(split.features);
  order.forEach((from, to) => (features[to * D] = split.features[from * D]));
  return { ...split, features };
}

const options = { hiddenSizes: [32, 32], batchSize: 64, learningRate: 3e-3, epochs: 15, seed: 1, threads: 1 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ConfidNet on synthetic data where one feature predicts the errors', () => {
  const [train, validation, test] = [synthetic(2000, 1), synthetic(600, 2), synthetic(2000, 3)];
  const mcpAupr = auprError(test.errors, test.mcp);

  it('ranks errors above MCP (AUPR-Error, held-out split)', async () => {
    const { weights } = await trainConfidNet(train, { ...options, validation });
    const confidnet = auprError(test.errors, confidNetScores(weights, test.features).values);
    expect(mcpAupr).toBeGreaterThan(0.5); // MCP is informative: the base rate is ≈ 0.2
    expect(confidnet).toBeGreaterThan(mcpAupr + 0.05);
  });

  it('does not, as a negative control, once that feature is shuffled', async () => {
    const { weights } = await trainConfidNet(shuffled(train, 7), { ...options, validation: shuffled(validation, 8) });
    const control = shuffled(test, 9);
    const confidnet = auprError(control.errors, confidNetScores(weights, control.features).values);
    expect(confidnet).toBeLessThan(mcpAupr);
  });
});
