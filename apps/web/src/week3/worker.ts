/** The digit lab's web worker: starts the backend, loads the exported weights, classifies images. */
import { startWorkerBackend } from '../shared/wasm-assets.js';
import { createDigitLab, type DigitLab } from './digit-lab.js';
import type { LabReply, LabRequest } from './protocol.js';

const scope = self as unknown as {
  postMessage(message: LabReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<LabRequest>) => void): void;
};
let lab: DigitLab | undefined;
// One request at a time, in order: tfjs holds one backend per thread.
let queue: Promise<void> = Promise.resolve();

async function handle(request: LabRequest): Promise<void> {
  try {
    if (request.type === 'init') {
      const info = await startWorkerBackend();
      lab = createDigitLab(request.model);
      scope.postMessage({
        type: 'ready',
        backend: info.name,
        simd: info.simd,
        kernels: info.registeredKernels.length,
        fallbackReason: info.fallbackReason,
      });
    } else {
      if (!lab) throw new Error('classify before init');
      scope.postMessage({ type: 'result', ...(await lab.classify(request.id, request.pixels)) });
    }
  } catch (err) {
    scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

scope.addEventListener('message', (event) => {
  queue = queue.then(() => handle(event.data));
});
