/**
 * What rdl's wasm kernels share: calling other wasm kernels' functions directly (not tf ops, so
 * nothing is recorded on the gradient tape), releasing intermediates, convolution geometry, and
 * the wasm backend's heap.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

export type Backend = tf.KernelBackend;

/** The arguments tfjs passes a kernel function. */
export interface KernelArgs {
  inputs: NamedTensorInfoMap;
  attrs?: NamedAttrMap;
  backend: Backend;
}

/** The parts of the wasm backend used to allocate outputs and read tensors on its heap. */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32' | 'int32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

export type Conv2DInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;
export type Pool2DInfo = ReturnType<typeof tf.backend_util.computePool2DInfo>;

/** Runs the wasm kernel `name` (whatever is registered under it now). */
export function call(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap, backend: Backend): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm kernel ${name} is not registered`);
  return kernel.kernelFunc({ inputs, attrs, backend }) as TensorInfo;
}

export function release(backend: Backend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

export function transpose(x: TensorInfo, perm: number[], backend: Backend): TensorInfo {
  return call('Transpose', { x }, { perm }, backend);
}

export function reshape(x: TensorInfo, shape: number[], backend: Backend): TensorInfo {
  return call('Reshape', { x }, { shape }, backend);
}

export function convInfoFor(xShape: number[], filterShape: number[], attrs: NamedAttrMap): Conv2DInfo {
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

/** One kernel rdl registers on the wasm backend, adding or replacing `kernelName`. */
export interface WasmKernel {
  kernelName: string;
  /** The config to register, given what the backend registered under that name (if anything). */
  config(stock: tf.KernelConfig | undefined): tf.KernelConfig;
}
