/** The week-2 playground's web worker: trains the four methods off the main thread, with progress. */
import { startWorkerBackend } from '../shared/wasm-assets.js';
import { trainPlayground } from './playground.js';
import { PLANES, PLAYGROUND_SETTINGS, planeGrid } from './settings.js';
import type { PlaygroundReply, TrainRequest } from './protocol.js';

const scope = self as unknown as {
  postMessage(message: PlaygroundReply, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<TrainRequest>) => void): void;
};

// The same start-up as the digit lab: wasm with rdl's kernels, cpu where the browser refuses wasm.
const backend = startWorkerBackend().then((info) => {
  scope.postMessage({ type: 'ready', backend: info.name });
  return info;
});
let latest = 0;
let queue: Promise<void> = Promise.resolve();

async function train(request: TrainRequest): Promise<void> {
  if (request.id !== latest) return; // superseded before it started
  try {
    await backend;
    const grid = planeGrid(request.dataset);
    const methods = await trainPlayground(request.dataset, request.x, request.y, grid, (done, total, label) =>
      scope.postMessage({ type: 'progress', id: request.id, done, total, label }),
    );
    scope.postMessage({
      type: 'result',
      id: request.id,
      dataset: request.dataset,
      grid,
      resolution: PLAYGROUND_SETTINGS.resolution,
      farDistance: PLANES[request.dataset].farDistance,
      methods,
    });
  } catch (err) {
    scope.postMessage({ type: 'error', id: request.id, message: err instanceof Error ? err.message : String(err) });
  }
}

scope.addEventListener('message', (event) => {
  latest = event.data.id;
  queue = queue.then(() => train(event.data));
});
