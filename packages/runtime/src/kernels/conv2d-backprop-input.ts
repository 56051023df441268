/**
 * Conv2DBackpropInput (wasm ships a naive loop): dx = col2im(dy · Wᵀ), one XNNPACK matMul
 * [B·OH·OW, Cout] × [Cout, KH·KW·Cin], then the wasm ScatterNd kernel adds every Cin-long column
 * slice into its input pixel (see `col2imIndices`). For LeNet's second layer this does 205 M
 * multiply-adds instead of the 460 M of the equivalent full convolution, and the scatter-add
 * runs in C++ (≈ 3× faster than a JavaScript loop).
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { batchMatMul } from './batch-mat-mul.js';
import {
  call,
  convInfoFor,
  release,
  reshape,
  type Backend,
  type Conv2DInfo,
  type KernelArgs,
  type WasmHeapBackend,
  type WasmKernel,
} from './kernel-utils.js';

function conv2DBackpropInput(args: KernelArgs): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs ?? {};
  const inputShape = a.inputShape as [number, number, number, number];
  const info = convInfoFor(inputShape, filter.shape, a);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co, outHeight: OH, outWidth: OW } = info;
  const K = info.filterHeight * info.filterWidth * Ci;
  const pixels = B * H * W;
  const dy2 = reshape(dy, [B * OH * OW, Co], backend);
  const w2 = reshape(filter, [K, Co], backend);
  const cols = batchMatMul({ inputs: { a: dy2, b: w2 }, attrs: { transposeA: false, transposeB: true }, backend });
  const updates = reshape(cols, [cols.shape[0] * info.filterHeight * info.filterWidth, Ci], backend);
  const { indices, rows } = col2imIndices(info, backend);
  const summed = call('ScatterNd', { indices, updates }, { shape: [rows, Ci] }, backend);
  const temps = [dy2, w2, cols, updates, summed];
  let inside = summed;
  if (rows > pixels) {
    inside = call('Slice', { x: summed }, { begin: [0, 0], size: [pixels, Ci] }, backend);
    temps.push(inside);
  }
  const out = reshape(inside, [...inputShape], backend);
  release(backend, ...temps);
  return out;
}

/** Index tensors of `col2imIndices`, per backend instance, by convolution geometry. */
const col2imCache = new WeakMap<Backend, Map<string, { indices: TensorInfo; rows: number }>>();
const COL2IM_CACHE_SIZE = 8;

/**
 * For each (output pixel, ky, kx) in im2col column order, the flat input pixel (b·H + y)·W + x it
 * adds into, or the extra row B·H·W for taps that fall in the padding. Built once per geometry
 * (batch size included) and kept on the backend; the oldest entries are freed past 8.
 */
function col2imIndices(info: Conv2DInfo, backend: Backend): { indices: TensorInfo; rows: number } {
  const { batchSize: B, inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const key = [B, H, W, OH, OW, kh, kw, sh, sw, top, left].join(',');
  let cache = col2imCache.get(backend);
  if (!cache) {
    cache = new Map();
    col2imCache.set(backend, cache);
  }
  const hit = cache.get(key);
  if (hit) return hit;
  const pixels = B * H * W;
  const count = B * OH * OW * kh * kw;
  const heap = backend as unknown as WasmHeapBackend;
  const indices = heap.makeOutput([count, 1], 'int32');
  const view = heap.typedArrayFromHeap(indices); // an Int32Array for an int32 tensor
  const idx = new Int32Array(view.buffer, view.byteOffset, count);
  let r = 0;
  let padded = false;
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          const y = oy * sh + ky - top;
          for (let kx = 0; kx < kw; kx++) {
            const x = ox * sw + kx - left;
            const inside = y >= 0 && y < H && x >= 0 && x < W;
            padded ||= !inside;
            idx[r++] = inside ? (b * H + y) * W + x : pixels;
          }
        }
      }
    }
  }
  const entry = { indices, rows: padded ? pixels + 1 : pixels };
  if (cache.size >= COL2IM_CACHE_SIZE) {
    const [oldestKey, oldest] = cache.entries().next().value as [string, { indices: TensorInfo }];
    release(backend, oldest.indices);
    cache.delete(oldestKey);
  }
  cache.set(key, entry);
  return entry;
}

export const conv2DBackpropInputKernel: WasmKernel = {
  kernelName: 'Conv2DBackpropInput',
  config: () => ({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2DBackpropInput as KernelFunc }),
};
