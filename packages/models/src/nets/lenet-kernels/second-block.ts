/**
 * LeNet's second block in training (conv 20→50 5×5, 2×2 max-pool, bias, ReLU) as a tfjs op with
 * its own gradient. The convolution runs on the backend (XNNPACK on wasm, dense and fast); the
 * pooling and the whole backward pass run in rdl's wasm kernel (second-block-wat.ts),
 * which sends each output's gradient only through the conv pixel that won its pool: a quarter
 * of the dense filter and input gradients, and no pooling gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import { instantiateWat, layout, reserve } from '@rdl/runtime';
import { SECOND_BLOCK_WAT } from './second-block-wat.js';

type Pool = (
  n: number,
  conv: number,
  bias: number,
  out: number,
  arg: number,
  OH: number,
  OW: number,
  C: number,
  PH: number,
  PW: number,
) => void;
type Backward = (
  n: number,
  x: number,
  arg: number,
  out: number,
  dy: number,
  w: number,
  dw: number,
  db: number,
  dx: number,
  H: number,
  W: number,
  Civ: number,
  kh: number,
  kw: number,
  C: number,
  P: number,
  OW: number,
) => void;

interface Geometry {
  n: number;
  H: number;
  W: number;
  Ci: number;
  kh: number;
  kw: number;
  C: number;
  OH: number;
  OW: number;
  PH: number;
  PW: number;
}

export class LeNetSecondBlock {
  private generation = 0;

  private constructor(
    private readonly poolKernel: Pool,
    private readonly backwardKernel: Backward,
    private readonly memory: WebAssembly.Memory,
  ) {}

  static async create(): Promise<LeNetSecondBlock> {
    const { pool, backward, memory } = await instantiateWat<{ pool: Pool; backward: Backward }>('lenet-second-block', SECOND_BLOCK_WAT);
    return new LeNetSecondBlock(pool, backward, memory);
  }

  /** Byte offsets of every array for geometry g, growing the memory to hold them. */
  private regions(g: Geometry): Record<'w' | 'dw' | 'bias' | 'db' | 'x' | 'dx' | 'conv' | 'out' | 'arg' | 'dy', number> {
    const taps = g.kh * g.kw * g.C * g.Ci * 4;
    const pooled = g.n * g.PH * g.PW * g.C * 4;
    const sizes = {
      w: taps,
      dw: taps,
      bias: g.C * 4,
      db: g.C * 4,
      x: g.n * g.H * g.W * g.Ci * 4,
      dx: g.n * g.H * g.W * g.Ci * 4,
      conv: g.n * g.OH * g.OW * g.C * 4,
      out: pooled,
      arg: pooled,
      dy: pooled,
    };
    const { at, end } = layout(sizes);
    reserve(this.memory, end);
    return at;
  }

  /** The block on x [n,H,W,Ci] with `kernel` [kh,kw,Ci,C] and `bias` [C], differentiable in all three. */
  train(x: tf.Tensor4D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor4D {
    const [n, H, W, Ci] = x.shape;
    const [kh, kw, kernelCi, C] = kernel.shape;
    if (kernel.rank !== 4 || kernelCi !== Ci || bias.size !== C || Ci % 4 !== 0) {
      throw new Error(
        `LeNet second block needs a [kh,kw,${Ci},C] kernel with C biases and input channels in fours, got kernel [${kernel.shape}], ${bias.size} biases`,
      );
    }
    const OH = H - kh + 1;
    const OW = W - kw + 1;
    const g: Geometry = { n, H, W, Ci, kh, kw, C, OH, OW, PH: Math.floor(OH / 2), PW: Math.floor(OW / 2) };
    const pooledSize = n * g.PH * g.PW * C;
    const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, k, b] = inputs as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D];
      const conv = tf.conv2d(input, k, 1, 'valid');
      const convValues = conv.dataSync() as Float32Array;
      conv.dispose();
      const xValues = input.dataSync() as Float32Array;
      const kValues = k.dataSync() as Float32Array;
      let at = this.regions(g);
      let f32 = new Float32Array(this.memory.buffer);
      f32.set(convValues, at.conv / 4);
      f32.set(b.dataSync() as Float32Array, at.bias / 4);
      this.poolKernel(n, at.conv, at.bias, at.out, at.arg, OH, OW, C, g.PH, g.PW);
      const generation = ++this.generation;
      const out = f32.slice(at.out / 4, at.out / 4 + pooledSize);
      const arg = new Int32Array(this.memory.buffer).slice(at.arg / 4, at.arg / 4 + pooledSize);
      const value = tf.tensor4d(out, [n, g.PH, g.PW, C], 'float32');
      const gradFunc = (dy: tf.Tensor4D): tf.Tensor[] => {
        at = this.regions(g);
        f32 = new Float32Array(this.memory.buffer);
        if (this.generation !== generation) {
          f32.set(out, at.out / 4);
          new Int32Array(this.memory.buffer).set(arg, at.arg / 4);
        }
        f32.set(xValues, at.x / 4);
        f32.set(dy.dataSync() as Float32Array, at.dy / 4);
        // Kernel [kh,kw,Ci,C] → [kh·kw, C, Ci]: vectors over input channels.
        const taps = kh * kw;
        const w = at.w / 4;
        for (let t = 0; t < taps; t++) {
          for (let ci = 0; ci < Ci; ci++) for (let c = 0; c < C; c++) f32[w + (t * C + c) * Ci + ci] = kValues[(t * Ci + ci) * C + c];
        }
        f32.fill(0, at.dw / 4, at.dw / 4 + taps * C * Ci);
        f32.fill(0, at.db / 4, at.db / 4 + C);
        f32.fill(0, at.dx / 4, at.dx / 4 + n * H * W * Ci);
        this.backwardKernel(n, at.x, at.arg, at.out, at.dy, at.w, at.dw, at.db, at.dx, H, W, Ci / 4, kh, kw, C, g.PH * g.PW, OW);
        const dw = new Float32Array(taps * Ci * C);
        for (let t = 0; t < taps; t++) {
          for (let ci = 0; ci < Ci; ci++) for (let c = 0; c < C; c++) dw[(t * Ci + ci) * C + c] = f32[at.dw / 4 + (t * C + c) * Ci + ci];
        }
        return [
          tf.tensor4d(f32.slice(at.dx / 4, at.dx / 4 + n * H * W * Ci), [n, H, W, Ci], 'float32'),
          tf.tensor4d(dw, [kh, kw, Ci, C], 'float32'),
          tf.tensor1d(f32.slice(at.db / 4, at.db / 4 + C), 'float32'),
        ];
      };
      return { value, gradFunc };
    });
    return op(x, kernel, bias) as tf.Tensor4D;
  }
}
