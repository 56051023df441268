/**
 * Node-only. A pool worker thread's entry: starts the caller's tfjs backend through the same
 * @rdl/runtime instance the task modules import (its URL comes from the pool, so this bundle
 * holds no second copy of the runtime's state), then loads worker modules on request and runs
 * their tasks one at a time, in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type * as Runtime from '../index.js';
import type { WorkerReply, WorkerRequest, WorkerStart, WorkerStatus } from './protocol.js';
import { isTransferred } from './tasks.js';

const port = parentPort;
if (!port) throw new Error('worker-thread must run in a worker thread');
const start = workerData as WorkerStart;

type Handler = (input: unknown) => unknown;
const modules = new Map<string, Record<string, Handler>>();

async function load(url: string): Promise<void> {
  if (modules.has(url)) return;
  const handlers = ((await import(url)) as { default?: unknown }).default;
  if (typeof handlers !== 'object' || handlers === null) throw new Error(`${url} does not default-export task handlers`);
  modules.set(url, handlers as Record<string, Handler>);
}

async function handle(req: WorkerRequest): Promise<{ reply: WorkerReply; transfer: ArrayBuffer[] }> {
  if (req.type === 'load') {
    await load(req.module);
    return { reply: { id: req.id, type: 'done', output: undefined }, transfer: [] };
  }
  const handler = modules.get(req.module)?.[req.task];
  if (typeof handler !== 'function') throw new Error(`no task "${req.task}" in ${req.module}`);
  const result = await handler(req.input);
  if (isTransferred(result)) return { reply: { id: req.id, type: 'done', output: result.value }, transfer: result.buffers };
  return { reply: { id: req.id, type: 'done', output: result }, transfer: [] };
}

// One request at a time, in order: tfjs state is not re-entrant across awaits of two tasks.
let queue: Promise<void> = Promise.resolve();
port.on('message', (req: WorkerRequest) => {
  queue = queue.then(async () => {
    try {
      const { reply, transfer } = await handle(req);
      port.postMessage(reply, transfer);
    } catch (err) {
      port.postMessage({ id: req.id, type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
    }
  });
});

try {
  const runtime = (await import(start.runtime)) as typeof Runtime;
  await runtime.initBackend({ backend: start.backend, quiet: true });
  port.postMessage({ type: 'ready' } satisfies WorkerStatus);
} catch (err) {
  port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies WorkerStatus);
}
