/**
 * Adam on host Float32Arrays: the update of tf.train.adam (same defaults, same bias correction),
 * for the multi-thread training step, where weights and gradients already pass through JS.
 * One pass per parameter instead of a dozen tensor ops per variable.
 */
export class HostAdam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private accBeta1: number;
  private accBeta2: number;

  constructor(
    readonly learningRate: number,
    sizes: number[],
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-7, // tfjs's float32 backend epsilon, the default of tf.train.adam
  ) {
    this.m = sizes.map((n) => new Float32Array(n));
    this.v = sizes.map((n) => new Float32Array(n));
    this.accBeta1 = beta1;
    this.accBeta2 = beta2;
  }

  /** Updates `weights` in place with the sum of the gradient parts (each in variable order). */
  step(weights: Float32Array[], parts: Float32Array[][]): void {
    const { beta1, beta2, epsilon, learningRate } = this;
    const c1 = 1 - this.accBeta1;
    const c2 = 1 - this.accBeta2;
    for (let k = 0; k < weights.length; k++) {
      const w = weights[k];
      const m = this.m[k];
      const v = this.v[k];
      const gs = parts.map((p) => p[k]);
      if (gs.some((g) => g.length !== w.length)) throw new Error(`gradient ${k} has the wrong size`);
      for (let i = 0; i < w.length; i++) {
        let g = 0;
        for (let p = 0; p < gs.length; p++) g += gs[p][i];
        const mi = beta1 * m[i] + (1 - beta1) * g;
        const vi = beta2 * v[i] + (1 - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        w[i] -= (learningRate * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
      }
    }
    this.accBeta1 *= beta1;
    this.accBeta2 *= beta2;
  }
}
