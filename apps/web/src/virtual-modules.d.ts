// Modules the site build generates (src/build/assets-plugin.ts).
declare module 'rdl-assets:wasm' {
  /** tfjs-backend-wasm binaries by file name, base64. */
  export const TFJS_WASM: Record<string, string>;
  /** rdl's WebAssembly kernels by name: the hash of their text and the binary, base64. */
  export const RDL_WAT: Record<string, { hash: string; base64: string }>;
}
declare module 'rdl-worker:*' {
  /** The worker bundle's source, started from a blob: URL. */
  const source: string;
  export default source;
}
