import { decode } from 'fast-png';
import { expect } from 'vitest';
import { renderChart } from '../../src/charts/render.js';

// Shared by the chart tests: render a spec and check the SVG and PNG, count vega's marks.

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Paths inside vega's mark groups of one type ("symbol", "rect", "rule", ...). */
export function countMarks(svg: string, type: string, layer = ''): number {
  const re = new RegExp(`<g class="mark-${type} role-mark [^"]*${layer}[^"]*"[^>]*>([\\s\\S]*?)</g>`, 'g');
  let n = 0;
  for (const m of svg.matchAll(re)) n += (m[1].match(/<(path|line|image|text)\b/g) ?? []).length;
  return n;
}

export async function renderOk(spec: Parameters<typeof renderChart>[0], title: string) {
  const r = await renderChart(spec);
  expect(r.svg.startsWith('<svg')).toBe(true);
  expect(r.svg).toContain(title);
  expect(Array.from(r.png.subarray(0, 8))).toEqual(PNG_SIGNATURE);
  const img = decode(r.png);
  // PNG is the SVG at scale 2.
  expect(img.width).toBe(Math.round(r.width * 2));
  expect(img.height).toBe(Math.round(r.height * 2));
  expect(r.width).toBeGreaterThan(200);
  expect(r.height).toBeGreaterThan(150);
  return r;
}

export const linspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
