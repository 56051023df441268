/**
 * Conv2DBackpropFilter, which the wasm backend lacks. Two formulations on kernels wasm runs fast:
 *
 * - few input channels: im2col written straight into the transposed layout, then one XNNPACK
 *   matMul with dy;
 * - otherwise: dW = one Conv2D of x transposed to [Cin,H,W,B] ("batch as channels") with dy
 *   transposed to [OH,OW,B,Cout] as the filter, stride 1 and dilation = the forward stride; the
 *   [Cin,KH,KW,Cout] result is transposed to [KH,KW,Cin,Cout].
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { batchMatMul } from './batch-mat-mul.js';
import {
  call,
  convInfoFor,
  release,
  reshape,
  transpose,
  type Backend,
  type Conv2DInfo,
  type KernelArgs,
  type WasmHeapBackend,
  type WasmKernel,
} from './kernel-utils.js';

/** Below this many input channels the filter gradient uses im2col + matMul (measured on LeNet). */
let im2colMaxChannels = 4;

/** Test hook (exported from `@rdl/runtime/testing` only): pick the formulation by input-channel count. */
export function setIm2colMaxChannels(n: number): void {
  im2colMaxChannels = n;
}

/** Drops trailing rows/columns of an NHWC tensor (negative padding is not a Conv2D option). */
function cropNHWC(x: TensorInfo, h: number, w: number, backend: Backend): TensorInfo {
  return call('Slice', { x }, { begin: [0, 0, 0, 0], size: [x.shape[0], h, w, x.shape[3]] }, backend);
}

function conv2DBackpropFilter({ inputs, attrs, backend }: KernelArgs): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs ?? {};
  const filterShape = a.filterShape as [number, number, number, number];
  const info = convInfoFor(x.shape, filterShape, a);
  if (info.inChannels <= im2colMaxChannels) return conv2DBackpropFilterIm2col(x, dy, info, backend);
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

/**
 * Writes the im2col patches of x transposed, [KH·KW·Cin, B·OH·OW], into `c`; zero outside x.
 * A function of its own: V8 optimises this loop far better than inlined in the kernel.
 */
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

export const conv2DBackpropFilterKernel: WasmKernel = {
  kernelName: 'Conv2DBackpropFilter',
  config: () => ({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter as KernelFunc }),
};
