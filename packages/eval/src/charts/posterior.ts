import type { TopLevelSpec } from 'vega-lite';
import { z } from 'zod';
import { numArray, range2, topLevel, validate, type NumArray } from './common.js';
import { gridToPngUri } from './raster.js';

export interface PosteriorPanel {
  /** e.g. "N = 0". */
  title: string;
  /**
   * Density on a resolution × resolution lattice of linspace(w0Range) × linspace(w1Range):
   * density[i1 * resolution + i0] is at (w0 = w0s[i0], w1 = w1s[i1]) — w0 varies fastest,
   * as numpy's meshgrid(w0s, w1s) flattened.
   */
  density: NumArray;
  resolution: number;
  w0Range: [number, number];
  w1Range: [number, number];
}

export interface PosteriorGridInput {
  panels: PosteriorPanel[];
  truth: { w0: number; w1: number };
  title?: string;
  subtitle?: string;
  /** Continuous vega scheme (default "viridis"). */
  scheme?: string;
  panelSize?: number;
  columns?: number;
}

const panelSchema = z
  .object({
    title: z.string(),
    density: numArray,
    resolution: z.number().int().min(2),
    w0Range: range2,
    w1Range: range2,
  })
  .refine((p) => p.density.length === p.resolution * p.resolution, { message: 'density length must be resolution²', path: ['density'] });

const schema = z.object({
  panels: z.array(panelSchema).min(1),
  truth: z.object({ w0: z.number(), w1: z.number() }),
  title: z.string().optional(),
  subtitle: z.string().optional(),
  scheme: z.string().optional(),
  panelSize: z.number().positive().optional(),
  columns: z.number().int().positive().optional(),
});

/**
 * Small multiples of the posterior over (w0, w1) as data arrives (week 1, 1.1). Each panel is
 * scaled to its own maximum (the posterior sharpens by orders of magnitude), the true weights
 * are a cross.
 */
export function posteriorGridChart(input: PosteriorGridInput): TopLevelSpec {
  const p = validate(schema, input, 'posteriorGridChart') as PosteriorGridInput;
  const scheme = p.scheme ?? 'viridis';
  const size = p.panelSize ?? 170;
  // Three per row keeps the figure readable when the HTML report scales it to the page width.
  const columns = p.columns ?? Math.min(p.panels.length, 3);
  const views = p.panels.map((panel, k) => {
    const r = panel.resolution;
    let max = 0;
    for (let i = 0; i < panel.density.length; i++) if (Number.isFinite(panel.density[i])) max = Math.max(max, panel.density[i]);
    const url = gridToPngUri({ nx: r, ny: r, value: (i0, i1) => panel.density[i1 * r + i0], domain: [0, max || 1], scheme });
    const [a0, b0] = panel.w0Range;
    const [a1, b1] = panel.w1Range;
    // Lattice points are cell centres: extend the image by half a cell on every side.
    const h0 = (b0 - a0) / (r - 1) / 2;
    const h1 = (b1 - a1) / (r - 1) / 2;
    const x = {
      field: 'x',
      type: 'quantitative',
      title: 'w₀',
      scale: { domain: [a0, b0], nice: false, zero: false },
      axis: { tickCount: 5 },
    };
    const y = {
      field: 'y',
      type: 'quantitative',
      title: k % columns === 0 ? 'w₁' : null,
      scale: { domain: [a1, b1], nice: false, zero: false },
      axis: { tickCount: 5 },
    };
    const layers: Record<string, unknown>[] = [
      {
        data: { values: [{ x: a0 - h0, x2: b0 + h0, y: a1 - h1, y2: b1 + h1, url }] },
        mark: { type: 'image', aspect: false, clip: true, aria: false },
        encoding: { x, y, x2: { field: 'x2' }, y2: { field: 'y2' }, url: { field: 'url', type: 'nominal' } },
      },
      {
        data: { values: [{ x: p.truth.w0, y: p.truth.w1, label: 'true (w₀, w₁)' }] },
        mark: { type: 'point', filled: true, size: 150, opacity: 1, color: '#e4572e', stroke: '#ffffff', strokeWidth: 1.2, clip: true },
        encoding: {
          x,
          y,
          shape: {
            field: 'label',
            type: 'nominal',
            title: null,
            scale: { range: ['cross'] },
            legend: { symbolFillColor: '#e4572e', symbolStrokeColor: '#ffffff', symbolSize: 150, symbolOpacity: 1 },
          },
        },
      },
    ];
    if (k === p.panels.length - 1) {
      // Invisible layer that exists only to draw the gradient legend of the raster.
      layers.push({
        data: { values: [{ v: 0 }, { v: 1 }] },
        mark: { type: 'point', opacity: 0 },
        encoding: {
          fill: {
            field: 'v',
            type: 'quantitative',
            title: ['density', '(÷ panel max)'],
            scale: { domain: [0, 1], scheme },
            legend: { gradientLength: Math.max(80, size - 40), format: '.1f' },
          },
        },
      });
    }
    return { title: { text: panel.title, anchor: 'middle', fontSize: 13, fontWeight: 500 }, width: size, height: size, layer: layers };
  });
  const body: Record<string, unknown> = { concat: views, columns, resolve: { scale: { x: 'independent', y: 'independent' } } };
  return topLevel(p.title ?? 'Posterior over (w₀, w₁) as data arrives', p.subtitle, body);
}
