/**
 * Compiles rdl's hand-written WebAssembly text kernels at run time with wabt (the WebAssembly
 * Binary Toolkit's own assembler, an npm dependency), so no generated binary is kept in the
 * repository and nothing is fetched. One compilation per kernel and thread (≈ 30 ms, cached).
 */
import wabtInit from 'wabt';

let wabt: ReturnType<typeof wabtInit> | undefined;
const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** The binary of a WebAssembly text (a copy: wabt's view is on its own heap); a browser build embeds these. */
export async function assembleWat(name: string, text: string): Promise<Uint8Array> {
  const tools = await (wabt ??= wabtInit());
  const parsed = tools.parseWat(`${name}.wat`, text, { simd: true });
  try {
    parsed.validate();
    return new Uint8Array(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

async function assemble(name: string, text: string): Promise<WebAssembly.Module> {
  return WebAssembly.compile((await assembleWat(name, text)) as Uint8Array<ArrayBuffer>);
}

/** The compiled module of kernel `name` (its text is only read the first time). */
export function compileWat(name: string, text: string): Promise<WebAssembly.Module> {
  let module = compiled.get(name);
  if (!module) {
    module = assemble(name, text).catch((e: unknown) => {
      compiled.delete(name);
      throw new Error(`rdl wasm kernel ${name} failed to compile: ${e instanceof Error ? e.message : String(e)}`);
    });
    compiled.set(name, module);
  }
  return module;
}

/** A fresh instance of kernel `name` (its own memory), with its exports. */
export async function instantiateWat<Exports extends object>(
  name: string,
  text: string,
): Promise<Exports & { memory: WebAssembly.Memory }> {
  const instance = new WebAssembly.Instance(await compileWat(name, text), {});
  return instance.exports as Exports & { memory: WebAssembly.Memory };
}
