/**
 * Memory of rdl's wasm kernels: named arrays laid out one after another (16-byte aligned, for
 * SIMD loads), and growth to a size. Growing detaches earlier typed-array views: take views
 * after `reserve`.
 */
export function layout<K extends string>(sizes: Record<K, number>): { at: Record<K, number>; end: number } {
  const at = {} as Record<K, number>;
  let end = 0;
  for (const [name, bytes] of Object.entries(sizes) as [K, number][]) {
    at[name] = end;
    end += Math.ceil(bytes / 16) * 16;
  }
  return { at, end };
}

/** Grows `memory` to at least `bytes`. */
export function reserve(memory: WebAssembly.Memory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (have < bytes) memory.grow(Math.ceil((bytes - have) / 65536));
}
