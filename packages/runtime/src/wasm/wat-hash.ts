/** FNV-1a (32 bit) of a WebAssembly text, hex: names the text a pre-assembled binary came from. */
export function watHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
