/**
 * BatchMatMul: wasm's kernel uses XNNPACK only for untransposed operands; with transposeA or
 * transposeB (every matMul gradient) it falls back to a loop ~8× slower. Transposing explicitly
 * first is cheap by comparison. Wraps the stock kernel, which does the untransposed product.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { release, transpose, type KernelArgs, type WasmKernel } from './kernel-utils.js';

let stockBatchMatMul: KernelFunc | undefined;

export function batchMatMul(args: KernelArgs): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const transposeA = Boolean(attrs?.transposeA);
  const transposeB = Boolean(attrs?.transposeB);
  const stock = stockBatchMatMul;
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
      const productT = stock({
        inputs: { a: b, b: aT },
        attrs: { ...attrs, transposeA: false, transposeB: false },
        backend,
      } as Parameters<KernelFunc>[0]) as TensorInfo;
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

export const batchMatMulKernel: WasmKernel = {
  kernelName: 'BatchMatMul',
  config(stock) {
    if (!stock) throw new Error('wasm BatchMatMul kernel not found (is @tensorflow/tfjs-backend-wasm loaded?)');
    stockBatchMatMul = stock.kernelFunc;
    // The stock setup binds the C function the stock kernel calls.
    return { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: batchMatMul as KernelFunc, setupFunc: stock.setupFunc };
  },
};
