import { encode } from 'fast-png';
import * as vega from 'vega';

/**
 * Small raster helpers: dense grids (posterior densities, decision maps) and MNIST digits are
 * drawn as one embedded PNG each instead of thousands of SVG rects, which keeps SVGs small and
 * renders identically in resvg and browsers.
 */

export type Rgb = [number, number, number];

const lutCache = new Map<string, Rgb[]>();

function parseColor(c: string): Rgb {
  const rgb = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(c);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  const hex = /^#([0-9a-f]{6})$/i.exec(c);
  if (hex) {
    const v = parseInt(hex[1], 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  throw new Error(`raster: cannot parse colour "${c}"`);
}

/** 256-entry lookup table of a vega continuous scheme ("viridis", "blueorange", ...). */
export function colorLut(scheme: string): Rgb[] {
  const hit = lutCache.get(scheme);
  if (hit) return hit;
  const interp = vega.scheme(scheme) as unknown;
  if (typeof interp !== 'function') throw new Error(`raster: "${scheme}" is not a continuous vega scheme`);
  const f = interp as (t: number) => string;
  const lut = Array.from({ length: 256 }, (_, i) => parseColor(f(i / 255)));
  lutCache.set(scheme, lut);
  return lut;
}

/** Base64 with `btoa` (Node and browsers alike; Buffer is Node-only), in chunks under the argument limit. */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${base64(png)}`;
}

export interface GridRaster {
  /** Values on a `nx` × `ny` lattice; value(ix, iy) with iy = 0 at the LOW end of y. */
  nx: number;
  ny: number;
  value: (ix: number, iy: number) => number;
  domain: [number, number];
  scheme: string;
  /** Reverse the scheme (e.g. so that high entropy is dark). */
  reverse?: boolean;
}

/** Colour-map a lattice to a PNG data URI (row 0 of the image = highest y, as drawn). */
export function gridToPngUri(g: GridRaster): string {
  const lut = colorLut(g.scheme);
  const [lo, hi] = g.domain;
  const span = hi > lo ? hi - lo : 1;
  const data = new Uint8Array(g.nx * g.ny * 3);
  for (let iy = 0; iy < g.ny; iy++) {
    const row = g.ny - 1 - iy;
    for (let ix = 0; ix < g.nx; ix++) {
      const v = g.value(ix, iy);
      let t = Number.isFinite(v) ? (v - lo) / span : 0;
      t = Math.min(1, Math.max(0, t));
      if (g.reverse) t = 1 - t;
      const c = lut[Math.round(t * 255)];
      const o = (row * g.nx + ix) * 3;
      data[o] = c[0];
      data[o + 1] = c[1];
      data[o + 2] = c[2];
    }
  }
  return pngDataUri(encode({ width: g.nx, height: g.ny, data, channels: 3, depth: 8 }));
}

/**
 * A 28×28 (or any square) grey image as a PNG data URI, upscaled by pixel replication so every
 * renderer shows crisp pixels, and inverted by default (dark ink on white paper).
 */
export function digitToPngUri(pixels: ArrayLike<number>, options: { side?: number; upscale?: number; invert?: boolean } = {}): string {
  const side = options.side ?? Math.round(Math.sqrt(pixels.length));
  if (side * side !== pixels.length) throw new Error(`raster: image of ${pixels.length} pixels is not square`);
  const k = options.upscale ?? 4;
  const invert = options.invert ?? true;
  // Values in [0, 1] are scaled up; bytes are kept.
  let max = 0;
  for (let i = 0; i < pixels.length; i++) max = Math.max(max, pixels[i]);
  const factor = max <= 1 ? 255 : 1;
  const out = new Uint8Array(side * k * side * k);
  for (let r = 0; r < side * k; r++) {
    const sr = Math.floor(r / k);
    for (let c = 0; c < side * k; c++) {
      const v = Math.min(255, Math.max(0, Math.round(pixels[sr * side + Math.floor(c / k)] * factor)));
      out[r * side * k + c] = invert ? 255 - v : v;
    }
  }
  return pngDataUri(encode({ width: side * k, height: side * k, data: out, channels: 1, depth: 8 }));
}
