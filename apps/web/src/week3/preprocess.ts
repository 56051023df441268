/**
 * A drawing → MNIST's format: 28×28 uint8, ink = 255 on 0, the digit's bounding box scaled to fit
 * 20×20 (aspect kept) and its centre of mass moved to the centre, as LeCun et al. prepared MNIST.
 */
export const SIDE = 28;
const BOX = 20;

/** Ink per pixel (0..255) of a square canvas image: the red channel of white strokes on black. */
export function inkFromRgba(rgba: Uint8ClampedArray, side: number): Float32Array {
  const ink = new Float32Array(side * side);
  for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i]!;
  return ink;
}

/** Bounding box of the pixels above `floor`, or undefined for an empty drawing. */
export function inkBox(ink: Float32Array, side: number, floor = 16): { x0: number; y0: number; x1: number; y1: number } | undefined {
  let x0 = side;
  let y0 = side;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      if (ink[y * side + x]! > floor) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  return x1 < 0 ? undefined : { x0, y0, x1, y1 };
}

/**
 * Resamples the box of `ink` (side × side) into a 28×28 digit by area averaging, then shifts it
 * by whole pixels so its centre of mass sits at (14, 14).
 */
export function toMnist(ink: Float32Array, side: number): Uint8Array | undefined {
  const box = inkBox(ink, side);
  if (!box) return undefined;
  const w = box.x1 - box.x0 + 1;
  const h = box.y1 - box.y0 + 1;
  const scale = BOX / Math.max(w, h);
  const outW = Math.max(1, Math.round(w * scale));
  const outH = Math.max(1, Math.round(h * scale));
  const small = new Float32Array(outW * outH);
  const count = new Float32Array(outW * outH);
  for (let y = box.y0; y <= box.y1; y++)
    for (let x = box.x0; x <= box.x1; x++) {
      const ox = Math.min(outW - 1, Math.floor((x - box.x0) * scale));
      const oy = Math.min(outH - 1, Math.floor((y - box.y0) * scale));
      small[oy * outW + ox] += ink[y * side + x]!;
      count[oy * outW + ox] += 1;
    }
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++) {
      const v = count[y * outW + x]! > 0 ? small[y * outW + x]! / count[y * outW + x]! : 0;
      small[y * outW + x] = v;
      mass += v;
      cx += v * x;
      cy += v * y;
    }
  const left = Math.round(SIDE / 2 - (mass > 0 ? cx / mass : outW / 2) - 0.5);
  const top = Math.round(SIDE / 2 - (mass > 0 ? cy / mass : outH / 2) - 0.5);
  const out = new Uint8Array(SIDE * SIDE);
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++) {
      const tx = x + Math.min(Math.max(left, 0), SIDE - outW);
      const ty = y + Math.min(Math.max(top, 0), SIDE - outH);
      out[ty * SIDE + tx] = Math.max(0, Math.min(255, Math.round(small[y * outW + x]!)));
    }
  return out;
}
