/**
 * Browser side of ../wasm/assemble.ts: wabt (the run-time WAT assembler) reads files under Node,
 * so a browser gets rdl's kernels already assembled, at build time, by `assembleWat`. Each binary
 * carries the hash of the text it came from: a kernel edited without rebuilding the page fails
 * loudly instead of running stale code.
 */
import { watHash } from '../wasm/wat-hash.js';

export interface CompiledWat {
  /** `watHash` of the WebAssembly text the binary was assembled from. */
  hash: string;
  bytes: Uint8Array;
}

const binaries = new Map<string, CompiledWat>();
const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** Makes kernels assembled at build time available to `compileWat` (name → binary). */
export function registerCompiledWat(kernels: Record<string, CompiledWat>): void {
  for (const [name, kernel] of Object.entries(kernels)) {
    binaries.set(name, kernel);
    compiled.delete(name);
  }
}

/** The compiled module of kernel `name`, from the binary registered for exactly this text. */
export function compileWat(name: string, text: string): Promise<WebAssembly.Module> {
  let module = compiled.get(name);
  if (!module) {
    const kernel = binaries.get(name);
    if (kernel === undefined)
      return Promise.reject(new Error(`rdl wasm kernel ${name} was not assembled into this page (registerCompiledWat)`));
    if (kernel.hash !== watHash(text))
      return Promise.reject(new Error(`rdl wasm kernel ${name}: the page's binary was assembled from another text (rebuild the page)`));
    module = WebAssembly.compile(kernel.bytes as Uint8Array<ArrayBuffer>);
    compiled.set(name, module);
  }
  return module;
}

/** A fresh instance of kernel `name` (its own memory), with its exports. */
export async function instantiateWat<Exports extends object>(
  name: string,
  text: string,
): Promise<Exports & { memory: WebAssembly.Memory }> {
  const instance = await WebAssembly.instantiate(await compileWat(name, text), {});
  return instance.exports as Exports & { memory: WebAssembly.Memory };
}
