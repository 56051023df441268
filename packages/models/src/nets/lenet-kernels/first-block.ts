/**
 * LeNet's first block (conv 1→20 5×5, 2×2 max-pool, bias, ReLU) in rdl's SIMD wasm kernel
 * (first-block-wat.ts), for inference and as a training op with its own gradient.
 * XNNPACK is poorly suited to a convolution with one input channel, and the fused pass needs
 * neither a pooling pass nor a pooling gradient: the block runs ≈ 2× faster than the tfjs ops
 * forward, and its backward pass visits only each pool's winning pixel.
 *
 * The training op is differentiable with respect to the kernel and the bias, not the images:
 * input gradients (ODIN) go through `LeNet.trunk` without this block.
 */
import * as tf from '@tensorflow/tfjs-core';
import { instantiateWat, reserve } from '@rdl/runtime';
import { FIRST_BLOCK_WAT } from './first-block-wat.js';

type Forward = (
  n: number,
  img: number,
  splat: number,
  w: number,
  bias: number,
  out: number,
  arg: number,
  H: number,
  W: number,
  kh: number,
  kw: number,
  Cv: number,
  PH: number,
  PW: number,
) => void;
type Backward = (
  n: number,
  img: number,
  splat: number,
  arg: number,
  out: number,
  dy: number,
  dw: number,
  db: number,
  H: number,
  W: number,
  kh: number,
  kw: number,
  Cv: number,
  PH: number,
  PW: number,
) => void;

const SIDE = 28;
const KERNEL = 5;
const CHANNELS = 20;
const POOLED = (SIDE - KERNEL + 1) / 2; // 12
const PIXELS = SIDE * SIDE;
const OUT_PER_IMAGE = POOLED * POOLED * CHANNELS;
const KERNEL_SIZE = KERNEL * KERNEL * CHANNELS;

// Byte layout of the kernel's memory: fixed part, then [images | out | arg | dy] for n images.
const W_AT = 0;
const BIAS_AT = W_AT + KERNEL_SIZE * 4;
const DW_AT = BIAS_AT + CHANNELS * 4;
const DB_AT = DW_AT + KERNEL_SIZE * 4;
const SPLAT_AT = DB_AT + CHANNELS * 4;
const IMAGES_AT = SPLAT_AT + PIXELS * 16;

export class LeNetFirstBlock {
  /** Which forward pass the memory holds (the backward pass restores it when it does not). */
  private generation = 0;

  private constructor(
    private readonly forwardKernel: Forward,
    private readonly backwardKernel: Backward,
    private readonly memory: WebAssembly.Memory,
  ) {}

  static async create(): Promise<LeNetFirstBlock> {
    const { forward, backward, memory } = await instantiateWat<{ forward: Forward; backward: Backward }>(
      'lenet-first-block',
      FIRST_BLOCK_WAT,
    );
    return new LeNetFirstBlock(forward, backward, memory);
  }

  private regions(n: number): { images: number; out: number; arg: number; dy: number } {
    const images = IMAGES_AT;
    const out = images + n * PIXELS * 4;
    const arg = out + n * OUT_PER_IMAGE * 4;
    const dy = arg + n * OUT_PER_IMAGE * 4;
    const end = dy + n * OUT_PER_IMAGE * 4;
    reserve(this.memory, end);
    return { images, out, arg, dy };
  }

  private setWeights(kernel: ArrayLike<number>, bias: ArrayLike<number>): void {
    if (kernel.length !== KERNEL_SIZE || bias.length !== CHANNELS) {
      throw new Error(`LeNet conv1 must be [5,5,1,20] with 20 biases, got ${kernel.length} and ${bias.length} values`);
    }
    const f32 = new Float32Array(this.memory.buffer);
    f32.set(kernel, W_AT / 4); // [kh·kw, 20]: the kernel's own layout, as Cin = 1
    f32.set(bias, BIAS_AT / 4);
  }

  private forward(n: number, at: { images: number; out: number; arg: number }): void {
    this.forwardKernel(n, at.images, SPLAT_AT, W_AT, BIAS_AT, at.out, at.arg, SIDE, SIDE, KERNEL, KERNEL, CHANNELS / 4, POOLED, POOLED);
    this.generation++;
  }

  /** Images [start, start + n) of `pixels` (uint8, 784 each) → [n, 12, 12, 20], no gradient. */
  infer(pixels: Uint8Array, start: number, n: number, kernel: Float32Array, bias: Float32Array): tf.Tensor4D {
    this.setWeights(kernel, bias);
    const at = this.regions(n);
    const f32 = new Float32Array(this.memory.buffer);
    const from = start * PIXELS;
    const scale = 1 / 255; // the scaling of `batchTensor`
    for (let i = 0; i < n * PIXELS; i++) f32[at.images / 4 + i] = pixels[from + i] * scale;
    this.forward(n, at);
    // The wasm backend copies the values at once; others (cpu) may keep the array they are
    // given, and this memory is reused: give them a copy.
    const values = f32.subarray(at.out / 4, at.out / 4 + n * OUT_PER_IMAGE);
    return tf.tensor4d(tf.getBackend() === 'wasm' ? values : values.slice(), [n, POOLED, POOLED, CHANNELS], 'float32');
  }

  /** The block on x [n,28,28,1] as a tfjs op with gradients for `kernel` [5,5,1,20] and `bias` [20]. */
  train(x: tf.Tensor4D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor4D {
    const n = x.shape[0];
    if (x.shape[1] !== SIDE || x.shape[2] !== SIDE || x.shape[3] !== 1)
      throw new Error(`LeNet first block needs [n,28,28,1] images, got [${x.shape}]`);
    const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [k, b] = inputs as tf.Tensor[];
      this.setWeights(k.dataSync() as Float32Array, b.dataSync() as Float32Array);
      const images = x.dataSync() as Float32Array;
      let at = this.regions(n);
      new Float32Array(this.memory.buffer).set(images, at.images / 4);
      this.forward(n, at);
      const generation = this.generation;
      const out = new Float32Array(this.memory.buffer).slice(at.out / 4, at.out / 4 + n * OUT_PER_IMAGE);
      const arg = new Int32Array(this.memory.buffer).slice(at.arg / 4, at.arg / 4 + n * OUT_PER_IMAGE);
      const value = tf.tensor4d(out, [n, POOLED, POOLED, CHANNELS], 'float32');
      const gradFunc = (dy: tf.Tensor4D): tf.Tensor[] => {
        at = this.regions(n);
        const f32 = new Float32Array(this.memory.buffer);
        if (this.generation !== generation) {
          // Another forward pass ran in between: put this one's inputs and results back.
          f32.set(images, at.images / 4);
          f32.set(out, at.out / 4);
          new Int32Array(this.memory.buffer).set(arg, at.arg / 4);
        }
        f32.set(dy.dataSync() as Float32Array, at.dy / 4);
        f32.fill(0, DW_AT / 4, DW_AT / 4 + KERNEL_SIZE);
        f32.fill(0, DB_AT / 4, DB_AT / 4 + CHANNELS);
        this.backwardKernel(
          n,
          at.images,
          SPLAT_AT,
          at.arg,
          at.out,
          at.dy,
          DW_AT,
          DB_AT,
          SIDE,
          SIDE,
          KERNEL,
          KERNEL,
          CHANNELS / 4,
          POOLED,
          POOLED,
        );
        return [
          tf.tensor4d(f32.slice(DW_AT / 4, DW_AT / 4 + KERNEL_SIZE), [KERNEL, KERNEL, 1, CHANNELS], 'float32'),
          tf.tensor1d(f32.slice(DB_AT / 4, DB_AT / 4 + CHANNELS), 'float32'),
        ];
      };
      return { value, gradFunc };
    });
    return op(kernel, bias) as tf.Tensor4D;
  }
}
