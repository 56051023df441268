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
    const c1 = 1 - this.accBeta1;
    const c2 = 1 - this.accBeta2;
    for (let k = 0; k < weights.length; k++) {
      const w = weights[k];
      const gs = parts.map((p) => p[k]);
      if (gs.some((g) => g.length !== w.length)) throw new Error(`gradient ${k} has the wrong size`);
      // Two parts (two threads) is the common case: a loop of its own, with no inner loop over
      // parts, runs several times faster. Both sum the parts in float64, so they agree exactly.
      if (gs.length === 2) this.update(w, this.m[k], this.v[k], c1, c2, gs[0], gs[1]);
      else {
        const sum = new Float64Array(w.length);
        for (const g of gs) for (let i = 0; i < w.length; i++) sum[i] += g[i];
        this.update(w, this.m[k], this.v[k], c1, c2, sum, undefined);
      }
    }
    this.accBeta1 *= this.beta1;
    this.accBeta2 *= this.beta2;
  }

  private update(
    w: Float32Array,
    m: Float32Array,
    v: Float32Array,
    c1: number,
    c2: number,
    g0: Float32Array | Float64Array,
    g1: Float32Array | undefined,
  ): void {
    const { beta1, beta2, epsilon } = this;
    const step = this.learningRate / c1;
    const scale = 1 / Math.sqrt(c2);
    for (let i = 0; i < w.length; i++) {
      const g = g1 === undefined ? g0[i] : g0[i] + g1[i];
      const mi = beta1 * m[i] + (1 - beta1) * g;
      const vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      w[i] -= (step * mi) / (Math.sqrt(vi) * scale + epsilon);
    }
  }
}
