// @rdl/runtime: which tfjs backend, rdl's wasm kernels, the WebAssembly assembler and the worker pool.
export { backendFromEnv, type BackendName } from './backend/backend-name.js';
export { getBackendInfo, initBackend, type BackendInfo, type InitBackendOptions } from './backend/init-backend.js';
export { defaultThreads, resolveThreads, threadsFromEnv } from './backend/threads.js';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './kernels/register-all-kernels.js';
export { assembleWat, compileWat, instantiateWat } from './wasm/assemble.js';
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
export { helperWorkers, shutdownWorkers, startWorkers, type TaskWorker } from './workers/worker-pool.js';
