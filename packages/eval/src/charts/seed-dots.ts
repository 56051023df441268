import type { TopLevelSpec } from 'vega-lite';
import { z } from 'zod';
import { topLevel, validate } from './common.js';
import { seriesColors } from './theme.js';

/** One method's values of one metric over the seeds of a study, with their mean and sd. */
export interface SeedDotsSeries {
  metric: string;
  method: string;
  values: { seed: number; value: number }[];
  mean: number;
  /** Sample sd; null (no bar) with one seed. */
  sd: number | null;
  /** A dashed vertical reference in the metric's panel, e.g. 0 for a paired difference. */
  reference?: number;
}

export interface SeedDotsInput {
  title: string;
  subtitle?: string;
  series: SeedDotsSeries[];
  /** Panels per row (one panel per metric). */
  columns?: number;
  /** Width of one panel. */
  panelWidth?: number;
}

const schema = z.object({
  title: z.string().min(1),
  subtitle: z.string().optional(),
  series: z
    .array(
      z.object({
        metric: z.string().min(1),
        method: z.string().min(1),
        values: z.array(z.object({ seed: z.number().int(), value: z.number().refine(Number.isFinite, 'must be finite') })).min(1),
        mean: z.number().refine(Number.isFinite, 'must be finite'),
        sd: z.number().nonnegative().nullable(),
        reference: z.number().optional(),
      }),
    )
    .min(1),
  columns: z.number().int().positive().optional(),
  panelWidth: z.number().positive().optional(),
});

/**
 * A multi-seed study at a glance: one panel per metric, one row per method, each seed a dot, the
 * mean a tick with a ±1 sd bar. Each panel has its own x scale (metrics differ in range).
 */
export function seedDotsChart(input: SeedDotsInput): TopLevelSpec {
  const p = validate(schema, input, 'seedDotsChart') as SeedDotsInput;
  const methods = [...new Set(p.series.map((s) => s.method))];
  const metrics = [...new Set(p.series.map((s) => s.metric))];
  const rows: Record<string, string | number>[] = [];
  for (const s of p.series) {
    for (const v of s.values) rows.push({ kind: 'seed', metric: s.metric, method: s.method, value: v.value, seed: v.seed });
    const sd = s.sd ?? 0;
    rows.push({ kind: 'mean', metric: s.metric, method: s.method, value: s.mean, lo: s.mean - sd, hi: s.mean + sd });
    // One reference row per method: drawn in each method's band, the rule shares the panel's y
    // scale (a rule without y got its own height and drew grid lines outside the panel).
    if (s.reference !== undefined) rows.push({ kind: 'reference', metric: s.metric, method: s.method, value: s.reference });
  }
  const y = { field: 'method', type: 'nominal', title: null, sort: methods, axis: { labelLimit: 480 } };
  const color = { field: 'method', type: 'nominal', title: null, scale: { domain: methods, range: seriesColors(methods) }, legend: null };
  // Few ticks, overlapping labels dropped: a narrow range (accuracy 99.12–99.26) otherwise prints a label per tick, run together.
  const x = {
    field: 'value',
    type: 'quantitative',
    title: null,
    scale: { zero: false, nice: false, padding: 12 },
    axis: { tickCount: 4, labelOverlap: 'greedy', labelSeparation: 8 },
  };
  return topLevel(p.title, p.subtitle, {
    data: { values: rows },
    facet: { field: 'metric', type: 'nominal', title: null, sort: metrics, header: { labelFontSize: 13, labelFontWeight: 'bold' } },
    columns: p.columns ?? Math.min(3, metrics.length),
    resolve: { scale: { x: 'independent', y: 'independent' } },
    spec: {
      width: p.panelWidth ?? 240,
      height: { step: 26 },
      layer: [
        {
          transform: [{ filter: "datum.kind === 'reference'" }],
          mark: { type: 'rule', strokeDash: [5, 4], color: '#7a848c', strokeWidth: 1.2 },
          encoding: { x, y: { ...y, bandPosition: 0 }, y2: { field: 'method', bandPosition: 1 } },
        },
        {
          transform: [{ filter: "datum.kind === 'mean'" }],
          mark: { type: 'rule', strokeWidth: 2, opacity: 0.6 },
          encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' }, y, color },
        },
        {
          transform: [{ filter: "datum.kind === 'seed'" }],
          mark: { type: 'point', filled: false, size: 55, strokeWidth: 1.6, opacity: 0.9 },
          encoding: { x, y, color, tooltip: [{ field: 'seed' }, { field: 'value', format: '.4f' }] },
        },
        {
          transform: [{ filter: "datum.kind === 'mean'" }],
          mark: { type: 'tick', thickness: 3, size: 20, color: '#222' },
          encoding: { x, y },
        },
      ],
    },
  });
}
