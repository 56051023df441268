/**
 * Starts the tfjs backend inside a web worker: tfjs-backend-wasm from binaries built into the
 * bundle (blob: URLs, so nothing is fetched and file:// pages work) with rdl's kernels, assembled
 * at build time; the plain cpu backend when the browser refuses wasm.
 */
import { initBackend, registerCompiledWat, type BrowserBackendInfo, type BrowserBackendName } from '@rdl/runtime';
import { RDL_WAT, TFJS_WASM } from 'rdl-assets:wasm';
import { fromBase64 } from './model-bundle.js';

export async function startWorkerBackend(backend?: BrowserBackendName): Promise<BrowserBackendInfo> {
  registerCompiledWat(
    Object.fromEntries(Object.entries(RDL_WAT).map(([name, k]) => [name, { hash: k.hash, bytes: fromBase64(k.base64) }])),
  );
  const wasmPaths = Object.fromEntries(
    Object.entries(TFJS_WASM).map(([file, base64]) => [
      file,
      URL.createObjectURL(new Blob([fromBase64(base64) as Uint8Array<ArrayBuffer>], { type: 'application/wasm' })),
    ]),
  );
  return initBackend({ backend, wasmPaths });
}
