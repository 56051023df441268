/**
 * The one optimizer abstraction of @rdl/models: `step(params, grads)` updates `params` in place
 * from their gradients. Three storages implement it, each for the models that keep their
 * parameters there:
 *
 * - float64 host arrays — `adam` (adam.ts) and `sgd` (sgd.ts): the full-batch week-2 models
 *   (binary MLP's js engine, logistic MAP);
 * - tfjs variables — `tfAdam` (tf-adam.ts): the autodiff paths (LeNet on one thread, VI,
 *   the binary MLP's tfjs engine);
 * - float32 host arrays — `HostAdam` (host-adam.ts): LeNet on several threads, where the
 *   summed gradient parts already sit in JS.
 *
 * The update rules are shared: Adam with bias correction and optional decoupled weight decay
 * (AdamW: θ ← θ(1 − lr·λ) before the step, as PyTorch), SGD with momentum (PyTorch semantics).
 */
export interface Optimizer<P, G = P> {
  /** Updates `params` in place with one step on `grads` (same order and shapes). */
  step(params: P, grads: G): void;
  /** Frees optimizer state held outside JS (tfjs variables); a no-op for host optimizers. */
  dispose(): void;
}

export interface AdamOptions {
  learningRate: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8 on float64 (PyTorch); tfjs's float32 backend epsilon (1e-7) on tfjs and float32. */
  epsilon?: number;
  /** Decoupled weight decay λ (AdamW); default 0. */
  weightDecay?: number;
}

export interface SgdOptions {
  learningRate: number;
  /** Momentum μ (v ← μv + g, θ ← θ − lr·v); default 0. */
  momentum?: number;
}

/** Checks that params and grads pair up one to one, with equal lengths. */
export function checkPairs(params: ArrayLike<unknown>[], grads: ArrayLike<unknown>[], what: string): void {
  if (params.length !== grads.length) throw new Error(`${what}: ${grads.length} gradients for ${params.length} parameters`);
  params.forEach((p, k) => {
    if (p.length !== grads[k].length) throw new Error(`${what}: gradient ${k} has ${grads[k].length} values, expected ${p.length}`);
  });
}
