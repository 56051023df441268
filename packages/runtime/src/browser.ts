// @rdl/runtime for browsers (the `browser` export condition): the same API as ./index.ts where a
// page can offer it, without Node built-ins — backend start-up from URLs the page gives, kernels
// assembled at build time, no worker-thread pool (see ./browser/).
export { isBackendName, BACKEND_NAMES, type BackendName } from './backend/backend-name.js';
export type { BackendInfo } from './backend/init-backend.js';
export {
  getBackendInfo,
  initBackend,
  type BrowserBackendInfo,
  type BrowserBackendName,
  type BrowserBackendOptions,
} from './browser/init-backend.js';
export { defaultThreads, helperWorkers, resolveThreads, shutdownWorkers, startWorkers } from './browser/worker-pool.js';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './kernels/register-all-kernels.js';
export { compileWat, instantiateWat, registerCompiledWat, type CompiledWat } from './browser/assemble.js';
export { watHash } from './wasm/wat-hash.js';
export { forLoop } from './wasm/wat-loop.js';
export { layout, reserve } from './wasm/wasm-memory.js';
export {
  defineTasks,
  taskModule,
  transfer,
  type TaskHandlers,
  type TaskInput,
  type TaskModule,
  type TaskName,
  type TaskOutput,
  type TaskShape,
  type TaskSpec,
  type Transferred,
} from './workers/tasks.js';
export { shareChunks, splitRange, yieldToEventLoop, type ChunkWork } from './workers/chunks.js';
export type { TaskWorker } from './workers/worker-pool.js';
