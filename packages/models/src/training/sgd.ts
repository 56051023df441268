import { checkPairs, type Optimizer, type SgdOptions } from './optimizer.js';

/** SGD with momentum on float64 host arrays, PyTorch semantics: v ← μv + g, θ ← θ − lr·v. */
export function sgd(o: SgdOptions): Optimizer<Float64Array[]> {
  const momentum = o.momentum ?? 0;
  let velocity: Float64Array[] = [];
  let started = false;
  return {
    step(params, grads) {
      checkPairs(params, grads, 'sgd');
      if (!started) {
        velocity = params.map((p) => new Float64Array(p.length));
        started = true;
      } else if (velocity.length !== params.length) {
        throw new Error(`sgd: ${params.length} parameters, but the optimizer was started with ${velocity.length}`);
      }
      params.forEach((p, k) => {
        const g = grads[k];
        const vk = velocity[k];
        for (let q = 0; q < p.length; q++) {
          vk[q] = momentum * vk[q] + g[q];
          p[q] -= o.learningRate * vk[q];
        }
      });
    },
    dispose() {},
  };
}
