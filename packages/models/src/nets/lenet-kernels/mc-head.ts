/**
 * MC dropout through LeNet's stochastic head (dropout → fc 800→500 → ReLU → dropout → fc 500→10),
 * T passes per image, in a small SIMD WebAssembly kernel of rdl's own (mc-head-wat.ts)
 * instead of tfjs ops. A feature that is zero (about half of the post-ReLU trunk outputs) or
 * dropped in a pass contributes nothing to fc1, so each pass only adds the W1 rows of its kept,
 * non-zero features: about a quarter of the dense multiply-adds, with no tensor uploads. The
 * arithmetic is exactly MC dropout; only the work skipped is on zeros (float32 summation order
 * differs from a dense matMul, ~1e-7).
 *
 * Masks are those of `fillDropoutMask`: per image, one stream from its seed for the first dropout
 * (drawn over the image's non-zero features, pass-major) and one from secondMaskSeed(seed) for the
 * second, so any split of the images over batches or threads gives the same numbers.
 */
import { instantiateWat, layout, reserve } from '@rdl/runtime';
import { MC_HEAD_WAT } from './mc-head-wat.js';
import { secondMaskSeed, type LeNetMcHead, type McHeadWeights } from '../lenet-blocks.js';
import { fillDropoutMask } from '../lenet-dropout.js';

type CompactFunction = (passes: number, k: number, mask1: number, rows: number, vals: number, act: number, counts: number) => void;
type HeadFunction = (
  passes: number,
  act: number,
  counts: number,
  mask2: number,
  out: number,
  b1: number,
  w2t: number,
  b2: number,
  nvec: number,
  classes: number,
  acc: number,
) => void;

type Region = 'w1' | 'b1' | 'w2t' | 'b2' | 'acc' | 'rows' | 'vals' | 'mask1' | 'mask2' | 'act' | 'counts' | 'out';

/** The MC dropout head of one LeNet for a fixed number of passes, on its own wasm memory. */
export class McHead implements LeNetMcHead {
  private readonly f32: Float32Array;
  private readonly i32: Int32Array;
  private readonly mask2Scratch: Float32Array | undefined;

  private constructor(
    private readonly compact: CompactFunction,
    private readonly run: HeadFunction,
    memory: WebAssembly.Memory,
    private readonly features: number,
    private readonly hidden: number,
    private readonly classes: number,
    private readonly passes: number,
    private readonly at: Record<Region, number>,
  ) {
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    this.mask2Scratch = this.padded === hidden ? undefined : new Float32Array(passes * hidden);
  }

  /** Hidden width padded to a multiple of 4 (one SIMD vector); the padding weighs 0. */
  private get padded(): number {
    return Math.ceil(this.hidden / 4) * 4;
  }

  static async create(w: McHeadWeights, passes: number): Promise<McHead> {
    const hidden = w.fc1Bias.length;
    const classes = w.fc2Bias.length;
    const features = w.fc1Kernel.length / hidden;
    if (!Number.isInteger(features) || w.fc2Kernel.length !== hidden * classes) {
      throw new Error(
        `MC head weights do not fit: fc1 ${w.fc1Kernel.length} values for ${hidden} hidden units, fc2 ${w.fc2Kernel.length} for ${hidden}×${classes}`,
      );
    }
    if (!Number.isInteger(passes) || passes <= 0) throw new Error(`passes must be a positive integer, got ${passes}`);
    const padded = Math.ceil(hidden / 4) * 4;
    const row = padded * 4;
    // Byte layout: the weights, then one image's working space.
    const sizes: Record<Region, number> = {
      w1: features * row,
      b1: row,
      w2t: classes * row,
      b2: classes * 4,
      acc: row,
      rows: features * 4,
      vals: features * 4,
      mask1: passes * features * 4,
      mask2: passes * row,
      act: passes * features * 8,
      counts: passes * 4,
      out: passes * classes * 4,
    };
    const { at, end } = layout(sizes);
    const { compact, head: run, memory } = await instantiateWat<{ compact: CompactFunction; head: HeadFunction }>('mc-head', MC_HEAD_WAT);
    reserve(memory, end);
    const head = new McHead(compact, run, memory, features, hidden, classes, passes, at);
    head.load(w);
    return head;
  }

  private load(w: McHeadWeights): void {
    const { f32, hidden, classes, features, padded, at } = this;
    f32.fill(0, at.w1 / 4, (at.b2 + classes * 4) / 4);
    for (let j = 0; j < features; j++) f32.set(w.fc1Kernel.subarray(j * hidden, (j + 1) * hidden), at.w1 / 4 + j * padded);
    f32.set(w.fc1Bias, at.b1 / 4);
    for (let u = 0; u < hidden; u++) for (let c = 0; c < classes; c++) f32[at.w2t / 4 + c * padded + u] = w.fc2Kernel[u * classes + c];
    f32.set(w.fc2Bias, at.b2 / 4);
  }

  /**
   * Writes the probabilities of images `first..first+n` into `out` (layout [t, image, class]
   * with `total` images per pass). `trunk` holds their n×features trunk outputs, `seeds` one
   * seed per image.
   */
  probs(trunk: Float32Array, n: number, rate: number, seeds: Int32Array, out: Float32Array, first: number, total: number): void {
    const { f32, i32, features, classes, passes, padded, at } = this;
    const rowBytes = padded * 4;
    const [rows, vals] = [at.rows / 4, at.vals / 4];
    for (let i = 0; i < n; i++) {
      const base = i * features;
      let k = 0;
      for (let j = 0; j < features; j++) {
        const v = trunk[base + j];
        if (v !== 0) {
          i32[rows + k] = at.w1 + j * rowBytes;
          f32[vals + k++] = v;
        }
      }
      // First mask over the non-zero features, pass-major; the kernel keeps (row, value · mask).
      fillDropoutMask(f32.subarray(at.mask1 / 4, at.mask1 / 4 + passes * k), rate, seeds[i]);
      this.compact(passes, k, at.mask1, at.rows, at.vals, at.act, at.counts);
      if (this.mask2Scratch === undefined) {
        fillDropoutMask(f32.subarray(at.mask2 / 4, at.mask2 / 4 + passes * padded), rate, secondMaskSeed(seeds[i]));
      } else {
        const m2 = fillDropoutMask(this.mask2Scratch, rate, secondMaskSeed(seeds[i]));
        for (let t = 0; t < passes; t++) f32.set(m2.subarray(t * this.hidden, (t + 1) * this.hidden), at.mask2 / 4 + t * padded);
      }
      this.run(passes, at.act, at.counts, at.mask2, at.out, at.b1, at.w2t, at.b2, padded / 4, classes, at.acc);
      // Softmax of each pass's logits.
      const logits = at.out / 4;
      for (let t = 0; t < passes; t++) {
        const l = logits + t * classes;
        let max = -Infinity;
        for (let c = 0; c < classes; c++) max = Math.max(max, f32[l + c]);
        let sum = 0;
        for (let c = 0; c < classes; c++) sum += Math.exp(f32[l + c] - max);
        const o = (t * total + first + i) * classes;
        for (let c = 0; c < classes; c++) out[o + c] = Math.exp(f32[l + c] - max) / sum;
      }
    }
  }
}
