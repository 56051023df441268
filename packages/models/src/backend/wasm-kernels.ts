/**
 * Training kernels for the wasm backend, built from kernels it runs fast (XNNPACK Conv2D,
 * Transpose, PadV2, Slice) instead of JavaScript loops:
 *
 * - Conv2DBackpropFilter (missing in wasm): dW = one Conv2D of x transposed to [Cin,H,W,B]
 *   ("batch as channels") with dy transposed to [OH,OW,B,Cout] as the filter, stride 1 and
 *   dilation = the forward stride; the [Cin,KH,KW,Cout] result is transposed to [KH,KW,Cin,Cout].
 * - Conv2DBackpropInput (wasm ships a naive loop): dx = col2im(dy · Wᵀ), one XNNPACK matMul and
 *   a scatter-add pass.
 * - BatchMatMul: explicit transposes so XNNPACK is used for transposed operands too.
 * - MaxPoolGrad: the stock kernel is slow; replaced by one pass with the cpu backend's rule.
 *
 * The kernels call other wasm kernels' functions directly (not tf ops), so nothing is recorded on
 * the gradient tape and every intermediate is released with `backend.disposeData`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

type Backend = tf.KernelBackend;

/** Names of the kernels `registerWasmTrainingKernels` adds or replaces on the wasm backend. */
export const WASM_TRAINING_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'BatchMatMul', 'MaxPoolGrad'] as const;

let originalBatchMatMul: KernelFunc | undefined;

interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32' | 'int32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

function call(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap, backend: Backend): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm kernel ${name} is not registered`);
  return kernel.kernelFunc({ inputs, attrs, backend }) as TensorInfo;
}

function release(backend: Backend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

function transpose(x: TensorInfo, perm: number[], backend: Backend): TensorInfo {
  return call('Transpose', { x }, { perm }, backend);
}

function reshape(x: TensorInfo, shape: number[], backend: Backend): TensorInfo {
  return call('Reshape', { x }, { shape }, backend);
}

type Conv2DInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

function convInfoFor(
  xShape: number[],
  filterShape: number[],
  attrs: NamedAttrMap,
): Conv2DInfo {
  const dataFormat = tf.backend_util.convertConv2DDataFormat((attrs.dataFormat as 'NHWC' | 'NCHW') ?? 'NHWC');
  if (dataFormat !== 'channelsLast') throw new Error('rdl wasm conv gradients support NHWC only');
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as [number, number],
    1,
    attrs.pad as 'valid' | 'same' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    false,
    dataFormat,
  );
}

/** Drops trailing rows/columns of an NHWC tensor (negative padding is not a Conv2D option). */
function cropNHWC(x: TensorInfo, h: number, w: number, backend: Backend): TensorInfo {
  return call('Slice', { x }, { begin: [0, 0, 0, 0], size: [x.shape[0], h, w, x.shape[3]] }, backend);
}

/** Below this many input channels the filter gradient uses im2col + matMul (measured on LeNet). */
let IM2COL_MAX_CHANNELS = 4;

/** Bench/test hook: choose the filter-gradient formulation by input-channel count. */
export function setIm2colMaxChannels(n: number): void {
  IM2COL_MAX_CHANNELS = n;
}

function conv2DBackpropFilter({ inputs, attrs, backend }: { inputs: NamedTensorInfoMap; attrs?: NamedAttrMap; backend: Backend }): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs ?? {};
  const filterShape = a.filterShape as [number, number, number, number];
  const info = convInfoFor(x.shape, filterShape, a);
  if (info.inChannels <= IM2COL_MAX_CHANNELS) return conv2DBackpropFilterIm2col(x, dy, info, backend);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  // Bottom/right padding that makes the transformed convolution output exactly kh×kw.
  let bottom = kh + (oh - 1) * sh - info.inHeight - top;
  let right = kw + (ow - 1) * sw - info.inWidth - left;
  const temps: TensorInfo[] = [];
  let xin = x;
  if (bottom < 0 || right < 0) {
    xin = cropNHWC(x, info.inHeight + Math.min(bottom, 0), info.inWidth + Math.min(right, 0), backend);
    temps.push(xin);
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  const xT = transpose(xin, [3, 1, 2, 0], backend); // [Cin, H, W, B]
  const dyT = transpose(dy, [1, 2, 0, 3], backend); // [OH, OW, B, Cout]
  temps.push(xT, dyT);
  const conv = call(
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [sh, sw],
      dimRoundingMode: undefined as unknown as string,
    },
    backend,
  ); // [Cin, KH, KW, Cout]
  temps.push(conv);
  const out = transpose(conv, [1, 2, 0, 3], backend);
  release(backend, ...temps);
  return out;
}

/**
 * dW = im2colᵀ · dy: the patches are written straight into the transposed [KH·KW·Cin, B·OH·OW]
 * layout (sequential writes), then one XNNPACK matMul with dy as [B·OH·OW, Cout]. Used when the
 * batch-as-channels convolution is a poor fit for XNNPACK (few input channels: its output has
 * only KH·KW·Cin pixels).
 */
function conv2DBackpropFilterIm2col(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo, backend: Backend): TensorInfo {
  const { batchSize: B, inChannels: Ci, outChannels: Co, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: kh, filterWidth: kw } = info;
  const P = B * OH * OW;
  const K = kh * kw * Ci;
  const heap = backend as unknown as WasmHeapBackend;
  const colsT = heap.makeOutput([K, P], 'float32');
  im2colTransposed(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(colsT), info);
  const dy2 = reshape(dy, [P, Co], backend);
  const prod = batchMatMul({ inputs: { a: colsT, b: dy2 }, attrs: { transposeA: false, transposeB: false }, backend });
  const out = reshape(prod, [kh, kw, Ci, Co], backend);
  release(backend, colsT, dy2, prod);
  return out;
}

/** Writes the im2col patches of x transposed, [KH·KW·Cin, B·OH·OW], into `c`; zero outside x. */
function im2colTransposed(xs: Float32Array, c: Float32Array, info: Conv2DInfo): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const P = B * OH * OW;
  const step = sw * Ci;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      // Output columns whose input column ox·sw + kx − left lies inside [0, W).
      const first = Math.min(OW, Math.max(0, Math.ceil((left - kx) / sw)));
      const last = Math.max(first, Math.min(OW, Math.floor((W - 1 + left - kx) / sw) + 1));
      for (let ci = 0; ci < Ci; ci++) {
        let o = ((ky * kw + kx) * Ci + ci) * P;
        for (let b = 0; b < B; b++) {
          for (let oy = 0; oy < OH; oy++) {
            const y = oy * sh + ky - top;
            if (y < 0 || y >= H) {
              c.fill(0, o, o + OW);
              o += OW;
              continue;
            }
            for (let ox = 0; ox < first; ox++) c[o++] = 0;
            let s = ((b * H + y) * W + first * sw + kx - left) * Ci + ci;
            for (let ox = first; ox < last; ox++) {
              c[o++] = xs[s];
              s += step;
            }
            for (let ox = last; ox < OW; ox++) c[o++] = 0;
          }
        }
      }
    }
  }
}

/**
 * dx = col2im(dy · Wᵀ): one XNNPACK matMul [B·OH·OW, Cout] × [Cout, KH·KW·Cin], then the wasm
 * ScatterNd kernel adds every Cin-long column slice into its input pixel (see `col2imIndices`).
 * For LeNet's second layer this does 205 M multiply-adds instead of the 460 M of the equivalent
 * full convolution, and the scatter-add runs in C++ (≈ 3× faster than a JavaScript loop).
 */
function conv2DBackpropInput(args: { inputs: NamedTensorInfoMap; attrs?: NamedAttrMap; backend: Backend }): TensorInfo {
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

/**
 * wasm's BatchMatMul uses XNNPACK only for untransposed operands; with transposeA or transposeB
 * (every matMul gradient) it falls back to a loop ~8× slower. Transposing explicitly first is
 * cheap by comparison.
 */
function batchMatMul(args: { inputs: NamedTensorInfoMap; attrs?: NamedAttrMap; backend: Backend }): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const transposeA = Boolean(attrs?.transposeA);
  const transposeB = Boolean(attrs?.transposeB);
  const stock = originalBatchMatMul;
  if (!stock) throw new Error('wasm BatchMatMul is not registered');
  if (!transposeA && !transposeB) return stock(args as Parameters<KernelFunc>[0]) as TensorInfo;
  const swapLast = (rank: number): number[] => [...Array(rank - 2).keys(), rank - 1, rank - 2];
  if (!transposeA && transposeB) {
    // a·bᵀ = (b·aᵀ)ᵀ: when b is the big operand (a layer's weights, in its input gradient),
    // transposing a and the product moves fewer values than transposing b.
    const sizeOf = (t: TensorInfo): number => t.shape.reduce((p, d) => p * d, 1);
    const [m, k] = a.shape.slice(-2);
    const n = b.shape[b.shape.length - 2];
    const outSize = Math.max(sizeOf(a) / (m * k), sizeOf(b) / (n * k)) * m * n;
    if (sizeOf(b) > sizeOf(a) + outSize) {
      const aT = transpose(a, swapLast(a.shape.length), backend);
      const productT = stock({ inputs: { a: b, b: aT }, attrs: { ...attrs, transposeA: false, transposeB: false }, backend } as Parameters<KernelFunc>[0]) as TensorInfo;
      const out = transpose(productT, swapLast(productT.shape.length), backend);
      release(backend, aT, productT);
      return out;
    }
  }
  const temps: TensorInfo[] = [];
  let aa = a;
  let bb = b;
  if (transposeA) {
    aa = transpose(a, swapLast(a.shape.length), backend);
    temps.push(aa);
  }
  if (transposeB) {
    bb = transpose(b, swapLast(b.shape.length), backend);
    temps.push(bb);
  }
  const out = stock({
    inputs: { a: aa, b: bb },
    attrs: { ...attrs, transposeA: false, transposeB: false },
    backend,
  } as Parameters<KernelFunc>[0]) as TensorInfo;
  release(backend, ...temps);
  return out;
}

/**
 * MaxPoolGrad: wasm's kernel is a slow generic loop (~45 ms for [128,24,24,20]). This is the cpu
 * backend's exact rule (the gradient goes to the first maximum of each window in row-major
 * order, -Infinity padding) as one tight pass over the wasm heap, ~10× faster.
 */
function maxPoolGrad(args: { inputs: NamedTensorInfoMap; attrs?: NamedAttrMap; backend: Backend }): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const a = attrs ?? {};
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    a.filterSize as [number, number] | number,
    a.strides as [number, number] | number,
    1,
    a.pad as 'valid' | 'same' | number,
    a.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const heap = backend as unknown as WasmHeapBackend;
  const out = heap.makeOutput([...input.shape], 'float32');
  // Views are taken after the allocation so a heap growth cannot detach them.
  const [x, g, dx] = [heap.typedArrayFromHeap(input), heap.typedArrayFromHeap(dy), heap.typedArrayFromHeap(out)];
  const tiled2x2 =
    info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
    info.dilationHeight === 1 && info.dilationWidth === 1 && info.padInfo.top === 0 && info.padInfo.left === 0 &&
    2 * info.outHeight <= info.inHeight && 2 * info.outWidth <= info.inWidth;
  if (tiled2x2) maxPoolGrad2x2(x, g, dx, info);
  else maxPoolGradInto(x, g, dx, info);
  return out;
}

/**
 * 2×2 windows with stride 2 inside the input (LeNet's pools): the windows do not overlap, so each
 * output's gradient goes to one input, picked by two pairwise comparisons without a running
 * maximum (≈ 1.5× faster). Strict comparisons keep the cpu rule: the first maximum in row-major
 * window order wins.
 */
function maxPoolGrad2x2(x: Float32Array, g: Float32Array, dx: Float32Array, info: Pool2DInfo): void {
  dx.fill(0);
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const row = W * C;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const corner = (b * H + 2 * oy) * row + 2 * ox * C;
        for (let c = 0; c < C; c++, o++) {
          const i0 = corner + c;
          const i1 = i0 + C;
          const i2 = i0 + row;
          const i3 = i2 + C;
          const v0 = x[i0];
          const v1 = x[i1];
          const v2 = x[i2];
          const v3 = x[i3];
          const top = v1 > v0 ? v1 : v0;
          const bottom = v3 > v2 ? v3 : v2;
          const at = bottom > top ? (v3 > v2 ? i3 : i2) : v1 > v0 ? i1 : i0;
          dx[at] = g[o];
        }
      }
    }
  }
}

type Pool2DInfo = ReturnType<typeof tf.backend_util.computePool2DInfo>;

/**
 * The loop of `maxPoolGrad`, kept in its own function: V8 optimises it far better there than
 * inlined in the kernel (measured ≈ 2× on LeNet's shapes, as for `im2colTransposed`).
 * Channel-innermost loops: contiguous reads and per-channel running maxima in a small array.
 */
function maxPoolGradInto(x: Float32Array, g: Float32Array, dx: Float32Array, info: Pool2DInfo): void {
  dx.fill(0);
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const best = new Float32Array(C);
  const at = new Int32Array(C);
  for (let b = 0; b < batchSize; b++) {
    const xb = b * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * sh - padTop;
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * sw - padLeft;
        best.fill(-Infinity);
        at.fill(-1);
        for (let ky = 0; ky < fh; ky += dh) {
          const yy = y0 + ky;
          if (yy < 0 || yy >= H) continue;
          for (let kx = 0; kx < fw; kx += dw) {
            const xx = x0 + kx;
            if (xx < 0 || xx >= W) continue;
            const base = xb + (yy * W + xx) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c];
              // Strictly greater: the first maximum in row-major window order wins, as on cpu.
              if (v > best[c]) {
                best[c] = v;
                at[c] = base + c;
              }
            }
          }
        }
        const gBase = ((b * OH + oy) * OW + ox) * C;
        for (let c = 0; c < C; c++) if (at[c] >= 0) dx[at[c]] += g[gBase + c];
      }
    }
  }
}

let registered = false;

/**
 * Registers rdl's wasm training kernels (idempotent). Call before the wasm backend is first
 * initialised. Returns the names of the kernels added or replaced.
 */
export function registerWasmTrainingKernels(): string[] {
  if (!registered) {
    const stockMatMul = tf.getKernel('BatchMatMul', 'wasm');
    if (!stockMatMul) throw new Error('wasm BatchMatMul kernel not found (is @tensorflow/tfjs-backend-wasm loaded?)');
    originalBatchMatMul = stockMatMul.kernelFunc;
    for (const name of WASM_TRAINING_KERNELS) {
      if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    }
    // BatchMatMul keeps its stock setup (it binds the C function the wrapper calls).
    tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: batchMatMul as KernelFunc, setupFunc: stockMatMul.setupFunc });
    tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGrad as KernelFunc });
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter as KernelFunc });
    tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2DBackpropInput as KernelFunc });
    registered = true;
  }
  return [...WASM_TRAINING_KERNELS];
}
