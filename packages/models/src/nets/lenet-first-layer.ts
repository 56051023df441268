/**
 * LeNet's first block at inference (conv 1→20 5×5, 2×2 max-pool, bias, ReLU) in rdl's SIMD wasm
 * kernel (../simd/conv-pool-wat.ts): ≈ 2× faster than XNNPACK's convolution, which is poorly
 * suited to a single input channel, followed by a separate pooling pass. Not differentiable:
 * gradients (training, ODIN) go through `LeNet.trunk`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { compileWat } from '../simd/assemble.js';
import { CONV_POOL_WAT } from '../simd/conv-pool-wat.js';

type ConvPoolFunction = (
  n: number, img: number, splat: number, w: number, bias: number, out: number,
  H: number, W: number, kh: number, kw: number, Cv: number, PH: number, PW: number,
) => void;

const SIDE = 28;
const KERNEL = 5;
const CHANNELS = 20;
const POOLED = (SIDE - KERNEL + 1) / 2; // 12
const PIXELS = SIDE * SIDE;
const OUT_PER_IMAGE = POOLED * POOLED * CHANNELS;

export class LeNetFirstLayer {
  // Fixed part of the memory: filter, bias, one image's broadcast pixels; then images and outputs.
  private static readonly W_AT = 0;
  private static readonly BIAS_AT = KERNEL * KERNEL * CHANNELS * 4;
  private static readonly SPLAT_AT = LeNetFirstLayer.BIAS_AT + CHANNELS * 4;
  private static readonly IMAGES_AT = LeNetFirstLayer.SPLAT_AT + PIXELS * 16;

  private constructor(
    private readonly convPool: ConvPoolFunction,
    private readonly memory: WebAssembly.Memory,
  ) {}

  /** `kernel` [5,5,1,20] and `bias` [20] of conv1, as host arrays. */
  static async create(kernel: Float32Array, bias: Float32Array): Promise<LeNetFirstLayer> {
    if (kernel.length !== KERNEL * KERNEL * CHANNELS || bias.length !== CHANNELS) {
      throw new Error(`LeNet conv1 must be [5,5,1,20] with 20 biases, got ${kernel.length} and ${bias.length} values`);
    }
    const instance = new WebAssembly.Instance(await compileWat('conv-pool', CONV_POOL_WAT), {});
    const layer = new LeNetFirstLayer(instance.exports.conv_pool as ConvPoolFunction, instance.exports.memory as WebAssembly.Memory);
    layer.reserve(1);
    const f32 = new Float32Array(layer.memory.buffer);
    f32.set(kernel, LeNetFirstLayer.W_AT / 4); // [kh·kw, 20]: the kernel's own layout, as Cin = 1
    f32.set(bias, LeNetFirstLayer.BIAS_AT / 4);
    return layer;
  }

  private reserve(images: number): void {
    const bytes = LeNetFirstLayer.IMAGES_AT + images * (PIXELS + OUT_PER_IMAGE) * 4;
    const have = this.memory.buffer.byteLength;
    if (have < bytes) this.memory.grow(Math.ceil((bytes - have) / 65536));
  }

  /** Images [start, start + n) of `pixels` (uint8, 784 each) → [n, 12, 12, 20]. */
  run(pixels: Uint8Array, start: number, n: number): tf.Tensor4D {
    this.reserve(n);
    const f32 = new Float32Array(this.memory.buffer);
    const images = LeNetFirstLayer.IMAGES_AT;
    const out = images + n * PIXELS * 4;
    const from = start * PIXELS;
    const scale = 1 / 255; // the same scaling as `batchTensor`
    for (let i = 0; i < n * PIXELS; i++) f32[images / 4 + i] = pixels[from + i] * scale;
    this.convPool(n, images, LeNetFirstLayer.SPLAT_AT, LeNetFirstLayer.W_AT, LeNetFirstLayer.BIAS_AT, out, SIDE, SIDE, KERNEL, KERNEL, CHANNELS / 4, POOLED, POOLED);
    // A copy: some backends (cpu) keep the array they are given, and this memory is reused.
    return tf.tensor4d(f32.slice(out / 4, out / 4 + n * OUT_PER_IMAGE), [n, POOLED, POOLED, CHANNELS], 'float32');
  }
}
