/**
 * Backend start-up: tfjs-node when importable, else wasm (SIMD, single thread, with the training
 * kernels it lacks registered), else cpu. `RDL_BACKEND` overrides the order; an explicit option
 * overrides the environment. An explicitly requested backend that cannot start is an error, never
 * a silent fallback.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../kernels/register-gradients.js';
import { registerWasmTrainingKernels } from '../kernels/register-all-kernels.js';
import { BACKEND_NAMES, backendFromEnv, isBackendName, type BackendName } from './backend-name.js';
import { defaultThreads } from './threads.js';
import { installedWasmPaths } from './wasm-paths.js';

export interface BackendInfo {
  name: BackendName;
  simd: boolean;
  threads: number;
  /** Kernels rdl registered on top of the backend's own (empty for tensorflow and cpu). */
  registeredKernels: string[];
}

export interface InitBackendOptions {
  backend?: BackendName;
  /** Skip the one-line log (worker threads starting the caller's backend). */
  quiet?: boolean;
}

let current: BackendInfo | undefined;
let pending: Promise<BackendInfo> | undefined;
let pendingKey: string | undefined;

/** The backend chosen by `initBackend`, or undefined before it ran. */
export function getBackendInfo(): BackendInfo | undefined {
  return current;
}

/**
 * Starts the fastest available backend (or the requested one) once. Calling it again with no
 * request, or with the backend already active, returns the same info; requesting a different
 * backend later switches to it.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  if (options.backend !== undefined && !isBackendName(options.backend)) {
    throw new Error(`backend must be one of tensorflow, wasm, cpu (got "${String(options.backend)}")`);
  }
  const requested = options.backend ?? backendFromEnv();
  if (current && (requested === undefined || requested === current.name)) return current;
  const key = requested ?? 'auto';
  if (pending && pendingKey === key) return pending;
  pendingKey = key;
  pending = start(requested, options.quiet === true).finally(() => {
    pending = undefined;
    pendingKey = undefined;
  });
  return pending;
}

async function start(requested: BackendName | undefined, quiet: boolean): Promise<BackendInfo> {
  let info: BackendInfo;
  if (requested !== undefined) {
    try {
      info = await startOne(requested);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`could not start the requested tfjs backend "${requested}": ${why}`, { cause: err });
    }
  } else {
    const failures: string[] = [];
    let found: BackendInfo | undefined;
    for (const name of BACKEND_NAMES) {
      try {
        found = await startOne(name);
        break;
      } catch (err) {
        failures.push(`${name}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
    }
    if (!found) throw new Error(`no tfjs backend could start (${failures.join('; ')})`);
    info = found;
  }
  current = info;
  if (!quiet) {
    const kernels = info.registeredKernels.length ? `, ${info.registeredKernels.length} rdl kernels` : '';
    // The backend's own thread count, and the threads data-parallel work uses (worker threads, RDL_THREADS).
    const threads =
      info.name === 'tensorflow' ? `threads ${info.threads}` : `1 thread per JS thread; data-parallel work on ${defaultThreads(info.name)}`;
    process.stderr.write(`[rdl] tfjs backend: ${info.name} (simd ${info.simd}${kernels}; ${threads})\n`);
  }
  return info;
}

async function startOne(name: BackendName): Promise<BackendInfo> {
  if (name === 'tensorflow') return startTensorflow();
  if (name === 'wasm') return startWasm();
  return startCpu();
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend("${name}") failed`);
  await tf.ready();
}

async function startTensorflow(): Promise<BackendInfo> {
  // The module name sits in a variable so TypeScript does not need its (optional) types.
  const moduleName = '@tensorflow/tfjs-node';
  await import(moduleName);
  await activate('tensorflow');
  // tfjs-node exists only under Node, so node:os is always there when this line runs.
  return { name: 'tensorflow', simd: true, threads: (await import('node:os')).cpus().length, registeredKernels: [] };
}

async function startCpu(): Promise<BackendInfo> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu');
  return { name: 'cpu', simd: false, threads: 1, registeredKernels: [] };
}

async function startWasm(): Promise<BackendInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(installedWasmPaths());
  // Kernels must be registered before the backend is first used, so their setup runs on init.
  const registeredKernels = registerWasmTrainingKernels();
  await activate('wasm');
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return { name: 'wasm', simd, threads: wasm.getThreadsCount(), registeredKernels };
}
