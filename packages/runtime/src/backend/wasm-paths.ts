/**
 * Node-only: the tfjs-backend-wasm binaries as files of the installed package, so the loader
 * reads them from disk and never fetches anything from the network.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const BINARIES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

/** `setWasmPaths`'s argument: each binary's path under the package's dist folder. */
export function installedWasmPaths(): Record<(typeof BINARIES)[number], string> {
  const require = createRequire(import.meta.url);
  const distDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  return Object.fromEntries(BINARIES.map((name) => [name, join(distDir, name)])) as Record<(typeof BINARIES)[number], string>;
}
