/**
 * Virtual modules a page bundle is built with: `rdl-assets:wasm` (tfjs-backend-wasm's binaries
 * and rdl's WebAssembly kernels, assembled here by wabt under Node, both as base64) and
 * `rdl-worker:<name>` (the source of a worker bundle, started from a blob: URL so that a page
 * opened from file:// can run it).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MODEL_WAT_SOURCES } from '@rdl/models';
import { assembleWat, watHash } from '@rdl/runtime';
import type { Plugin } from 'esbuild';

/**
 * tfjs-backend-wasm's binaries (`setWasmPaths` wants all three; the threaded one only runs on a
 * cross-origin-isolated page, which a file:// page is not).
 */
export const TFJS_WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export async function wasmAssetsModule(): Promise<string> {
  const dist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  const tfjs: Record<string, string> = {};
  for (const file of TFJS_WASM_FILES) tfjs[file] = b64(await readFile(join(dist, file)));
  const wat: Record<string, { hash: string; base64: string }> = {};
  for (const [name, text] of Object.entries(MODEL_WAT_SOURCES))
    wat[name] = { hash: watHash(text), base64: b64(await assembleWat(name, text)) };
  return `export const TFJS_WASM = ${JSON.stringify(tfjs)};\nexport const RDL_WAT = ${JSON.stringify(wat)};\n`;
}

export function assetsPlugin(workers: Record<string, string>): Plugin {
  return {
    name: 'rdl-assets',
    setup(build) {
      build.onResolve({ filter: /^rdl-(assets|worker):/ }, (args) => ({ path: args.path, namespace: 'rdl-virtual' }));
      build.onLoad({ filter: /.*/, namespace: 'rdl-virtual' }, async (args) => {
        if (args.path === 'rdl-assets:wasm') return { contents: await wasmAssetsModule(), loader: 'js' };
        const name = args.path.slice('rdl-worker:'.length);
        const source = workers[name];
        if (source === undefined) return { errors: [{ text: `no worker bundle named "${name}" was built before this page` }] };
        return { contents: `export default ${JSON.stringify(source)};`, loader: 'js' };
      });
    },
  };
}
