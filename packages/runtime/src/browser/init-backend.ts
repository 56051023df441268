/**
 * Browser backend start-up: tfjs-backend-wasm with rdl's training kernels when the page hands
 * over the wasm binaries' URLs, else the plain JavaScript cpu backend. No tfjs-node, no files, no
 * environment variables; an explicitly requested backend that cannot start is an error.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../kernels/register-gradients.js';
import { registerWasmTrainingKernels } from '../kernels/register-all-kernels.js';
import type { BackendInfo } from '../backend/init-backend.js';

export type BrowserBackendName = 'wasm' | 'cpu';

export interface BrowserBackendOptions {
  /** Only this backend (else wasm, falling back to cpu). */
  backend?: BrowserBackendName;
  /** `setWasmPaths` argument: URLs (blob:, http:) of tfjs-backend-wasm's `.wasm` binaries. Without it, wasm is skipped. */
  wasmPaths?: Record<string, string>;
}

export interface BrowserBackendInfo extends BackendInfo {
  /** Why wasm did not start, when the cpu backend runs instead. */
  fallbackReason?: string;
}

let current: BrowserBackendInfo | undefined;

/** The backend chosen by `initBackend`, or undefined before it ran. */
export function getBackendInfo(): BackendInfo | undefined {
  return current;
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend("${name}") failed`);
  await tf.ready();
}

async function startWasm(paths: Record<string, string> | undefined): Promise<BrowserBackendInfo> {
  if (paths === undefined) throw new Error('no wasm binaries were given (wasmPaths)');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(paths);
  const registeredKernels = registerWasmTrainingKernels();
  await activate('wasm');
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return { name: 'wasm', simd, threads: wasm.getThreadsCount(), registeredKernels };
}

async function startCpu(): Promise<BrowserBackendInfo> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu');
  return { name: 'cpu', simd: false, threads: 1, registeredKernels: [] };
}

/** Starts wasm (or the requested backend) once; later calls return the same info. */
export async function initBackend(options: BrowserBackendOptions = {}): Promise<BrowserBackendInfo> {
  if (current && (options.backend === undefined || options.backend === current.name)) return current;
  if (options.backend === 'cpu') return (current = await startCpu());
  try {
    current = await startWasm(options.wasmPaths);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (options.backend === 'wasm') throw new Error(`could not start the requested tfjs backend "wasm": ${why}`, { cause: err });
    current = { ...(await startCpu()), fallbackReason: why };
  }
  return current;
}
