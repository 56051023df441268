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
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
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
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const P = B * OH * OW;
  const K = kh * kw * Ci;
  const heap = backend as unknown as WasmHeapBackend;
  const colsT = heap.makeOutput([K, P], 'float32');
  const xs = heap.typedArrayFromHeap(x);
  const c = heap.typedArrayFromHeap(colsT);
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
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
            const rowBase = (b * H + y) * W;
            for (let ox = 0; ox < OW; ox++) {
              const xx = ox * sw + kx - left;
              c[o++] = xx < 0 || xx >= W ? 0 : xs[(rowBase + xx) * Ci + ci];
            }
          }
        }
      }
    }
  }
  const dy2 = reshape(dy, [P, Co], backend);
  const prod = batchMatMul({ inputs: { a: colsT, b: dy2 }, attrs: { transposeA: false, transposeB: false }, backend });
  const out = reshape(prod, [kh, kw, Ci, Co], backend);
  release(backend, colsT, dy2, prod);
  return out;
}

/**
 * dx = col2im(dy · Wᵀ): one XNNPACK matMul [B·OH·OW, Cout] × [Cout, KH·KW·Cin] followed by a
 * scatter-add of the columns into dx (a single pass over the wasm heap). For LeNet's second
 * layer this does 205 M multiply-adds instead of the 460 M of the equivalent full convolution.
 */
function conv2DBackpropInput(args: { inputs: NamedTensorInfoMap; attrs?: NamedAttrMap; backend: Backend }): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs ?? {};
  const inputShape = a.inputShape as [number, number, number, number];
  const info = convInfoFor(inputShape, filter.shape, a);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const K = kh * kw * Ci;
  const dy2 = reshape(dy, [B * OH * OW, Co], backend);
  const w2 = reshape(filter, [K, Co], backend);
  const cols = batchMatMul({ inputs: { a: dy2, b: w2 }, attrs: { transposeA: false, transposeB: true }, backend });
  const heap = backend as unknown as WasmHeapBackend;
  const out = heap.makeOutput([...inputShape], 'float32');
  const c = heap.typedArrayFromHeap(cols);
  const dx = heap.typedArrayFromHeap(out);
  dx.fill(0);
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const row = ((b * OH + oy) * OW + ox) * K;
        for (let ky = 0; ky < kh; ky++) {
          const y = oy * sh + ky - top;
          if (y < 0 || y >= H) continue;
          for (let kx = 0; kx < kw; kx++) {
            const x = ox * sw + kx - left;
            if (x < 0 || x >= W) continue;
            const src = row + (ky * kw + kx) * Ci;
            const dst = ((b * H + y) * W + x) * Ci;
            for (let ci = 0; ci < Ci; ci++) dx[dst + ci] += c[src + ci];
          }
        }
      }
    }
  }
  release(backend, dy2, w2, cols);
  return out;
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
  const x = heap.typedArrayFromHeap(input);
  const g = heap.typedArrayFromHeap(dy);
  const dx = heap.typedArrayFromHeap(out);
  dx.fill(0);
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  // Channel-innermost loops: contiguous reads and per-channel running maxima the JIT can keep
  // in a small array, ~3× faster than scanning each window channel by channel.
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
  return out;
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
