/**
 * MaxPoolGrad: wasm's kernel is a slow generic loop (~45 ms for [128,24,24,20]). This is the cpu
 * backend's exact rule (the gradient goes to the first maximum of each window in row-major
 * order, -Infinity padding) as one tight pass over the wasm heap, ~10× faster.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs, Pool2DInfo, WasmHeapBackend, WasmKernel } from './kernel-utils.js';

function maxPoolGrad(args: KernelArgs): TensorInfo {
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
    info.filterHeight === 2 &&
    info.filterWidth === 2 &&
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    2 * info.outHeight <= info.inHeight &&
    2 * info.outWidth <= info.inWidth;
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

/**
 * The general loop, in its own function: V8 optimises it far better there than inlined in the
 * kernel (measured ≈ 2× on LeNet's shapes). Channel-innermost loops: contiguous reads and
 * per-channel running maxima in a small array.
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

export const maxPoolGradKernel: WasmKernel = {
  kernelName: 'MaxPoolGrad',
  config: () => ({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGrad as KernelFunc }),
};
