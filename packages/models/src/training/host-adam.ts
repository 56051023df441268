/**
 * Adam on host Float32Arrays for the multi-thread training step, where weights and gradients
 * already pass through JS: tf.train.adam's update (same defaults, same bias correction, float32,
 * in the order of its tensor ops) as one SIMD wasm pass over all parameters (adam-wat.ts)
 * instead of a dozen tensor ops per variable. Moments and a copy of the weights live in the
 * kernel's memory; each step copies the gradient parts in and the weights out.
 */
import { instantiateWat, reserve } from '@rdl/runtime';
import { ADAM_WAT } from './adam-wat.js';
import type { Optimizer } from './optimizer.js';

type Accumulate = (bytes: number, g: number, p: number) => void;
type Step = (
  bytes: number,
  w: number,
  m: number,
  v: number,
  g: number,
  lr: number,
  c1: number,
  c2: number,
  beta1: number,
  beta2: number,
  eps: number,
) => void;

/** The float32 `Optimizer` (optimizer.ts): `step(weights, parts)` steps on the sum of the gradient parts. */
export class HostAdam implements Optimizer<Float32Array[], Float32Array[][]> {
  private accBeta1: number;
  private accBeta2: number;
  /** Float offset of each variable in the packed arrays. */
  private readonly offsets: number[];
  private readonly total: number;

  private constructor(
    readonly learningRate: number,
    private readonly sizes: number[],
    private readonly memory: WebAssembly.Memory,
    private readonly accumulate: Accumulate,
    private readonly update: Step,
    readonly beta1: number,
    readonly beta2: number,
    readonly epsilon: number,
  ) {
    this.accBeta1 = beta1;
    this.accBeta2 = beta2;
    this.offsets = [];
    let at = 0;
    for (const n of sizes) {
      this.offsets.push(at);
      at += n;
    }
    this.total = Math.ceil(at / 4) * 4;
  }

  static async create(
    learningRate: number,
    sizes: number[],
    beta1 = 0.9,
    beta2 = 0.999,
    epsilon = 1e-7, // tfjs's float32 backend epsilon, the default of tf.train.adam
  ): Promise<HostAdam> {
    const { memory, accumulate, step } = await instantiateWat<{ accumulate: Accumulate; step: Step }>('adam', ADAM_WAT);
    const adam = new HostAdam(learningRate, sizes, memory, accumulate, step, beta1, beta2, epsilon);
    // Four packed arrays (weights, m, v, gradient) and one for a second gradient part; zeroed.
    reserve(memory, 5 * adam.total * 4);
    return adam;
  }

  private region(k: number): number {
    return k * this.total; // float offset: 0 weights, 1 m, 2 v, 3 gradient, 4 second part
  }

  private pack(f32: Float32Array, region: number, arrays: Float32Array[], what: string): void {
    arrays.forEach((a, k) => {
      if (a.length !== this.sizes[k]) throw new Error(`${what} ${k} has ${a.length} values, expected ${this.sizes[k]}`);
      f32.set(a, this.region(region) + this.offsets[k]);
    });
  }

  /** Updates `weights` in place with the sum of the gradient parts (each in variable order). */
  step(weights: Float32Array[], parts: Float32Array[][]): void {
    if (parts.length === 0) throw new Error('HostAdam.step needs at least one gradient part');
    const f32 = new Float32Array(this.memory.buffer);
    const bytes = this.total * 4;
    this.pack(f32, 0, weights, 'weight');
    this.pack(f32, 3, parts[0], 'gradient');
    for (const part of parts.slice(1)) {
      this.pack(f32, 4, part, 'gradient');
      this.accumulate(bytes, this.region(3) * 4, this.region(4) * 4);
    }
    const c1 = 1 - this.accBeta1;
    const c2 = 1 - this.accBeta2;
    this.update(
      bytes,
      0,
      this.region(1) * 4,
      this.region(2) * 4,
      this.region(3) * 4,
      this.learningRate,
      c1,
      c2,
      this.beta1,
      this.beta2,
      this.epsilon,
    );
    weights.forEach((w, k) => w.set(f32.subarray(this.offsets[k], this.offsets[k] + w.length)));
    this.accBeta1 *= this.beta1;
    this.accBeta2 *= this.beta2;
  }

  /** The kernel's memory is garbage-collected with the instance. */
  dispose(): void {}
}
