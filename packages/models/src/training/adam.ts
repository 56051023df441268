import { checkPairs, type AdamOptions, type Optimizer } from './optimizer.js';

/**
 * Adam on float64 host arrays, as PyTorch's Adam/AdamW (β = 0.9, 0.999, ε = 1e-8 by default,
 * bias correction; with weightDecay λ the parameter is first scaled by 1 − lr·λ, then stepped).
 * Moments are created on the first step, one array per parameter.
 */
export function adam(o: AdamOptions): Optimizer<Float64Array[]> {
  const lr = o.learningRate;
  const beta1 = o.beta1 ?? 0.9;
  const beta2 = o.beta2 ?? 0.999;
  const eps = o.epsilon ?? 1e-8;
  const decay = 1 - lr * (o.weightDecay ?? 0);
  let m: Float64Array[] = [];
  let v: Float64Array[] = [];
  let t = 0;
  return {
    step(params, grads) {
      checkPairs(params, grads, 'adam');
      if (t === 0) {
        m = params.map((p) => new Float64Array(p.length));
        v = params.map((p) => new Float64Array(p.length));
      } else if (m.length !== params.length) {
        throw new Error(`adam: ${params.length} parameters, but the optimizer was started with ${m.length}`);
      }
      t++;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      params.forEach((p, k) => {
        const g = grads[k];
        const mk = m[k];
        const vk = v[k];
        for (let q = 0; q < p.length; q++) {
          mk[q] = beta1 * mk[q] + (1 - beta1) * g[q];
          vk[q] = beta2 * vk[q] + (1 - beta2) * g[q] * g[q];
          p[q] = p[q] * decay - (lr * (mk[q] / c1)) / (Math.sqrt(vk[q] / c2) + eps);
        }
      });
    },
    dispose() {},
  };
}
