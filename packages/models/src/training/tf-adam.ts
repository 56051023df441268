import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradients; the tfjs-layers bundle registers them all in the
// global registry on import. `minimize` needs them.
import '@tensorflow/tfjs-layers';
import type { AdamOptions, Optimizer } from './optimizer.js';

/**
 * Adam on tfjs variables: tf.train.adam's update (its default ε is the backend's float32
 * epsilon), applied to gradients the caller computed. With weightDecay λ the variables are first
 * scaled by 1 − lr·λ, then stepped (AdamW, as PyTorch and `adam`).
 */
export function tfAdam(o: AdamOptions): Optimizer<tf.Variable[], tf.Tensor[]> {
  const inner = tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon);
  const keep = 1 - o.learningRate * (o.weightDecay ?? 0);
  return {
    step(params, grads) {
      if (params.length !== grads.length) throw new Error(`tfAdam: ${grads.length} gradients for ${params.length} variables`);
      if (keep !== 1) tf.tidy(() => params.forEach((v) => v.assign(tf.mul(v, keep))));
      inner.applyGradients(params.map((v, k) => ({ name: v.name, tensor: grads[k] })));
    },
    dispose() {
      inner.dispose();
    },
  };
}

/**
 * One optimizer step on the loss `f` of `variables` (tf.variableGrads, then `optimizer.step`,
 * what tf's `minimize` does). Returns the loss before the step; the caller disposes it.
 */
export function minimize(optimizer: Optimizer<tf.Variable[], tf.Tensor[]>, variables: tf.Variable[], f: () => tf.Scalar): tf.Scalar {
  const { value, grads } = tf.variableGrads(f, variables);
  try {
    optimizer.step(
      variables,
      variables.map((v) => grads[v.name]),
    );
  } finally {
    tf.dispose(Object.values(grads));
  }
  return value;
}
