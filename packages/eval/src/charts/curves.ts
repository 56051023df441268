import type { TopLevelSpec } from 'vega-lite';
import { z } from 'zod';
import { fmt, mixedLegend, numArray, range2, topLevel, validate, type NumArray } from './common.js';
import { seriesColors } from './theme.js';

export interface ChartCurve {
  /** Method name; known methods (MCP, MC dropout, ConfidNet, ODIN, ...) get their fixed colour. */
  method: string;
  x: NumArray;
  y: NumArray;
  /** Shown in the legend after the name, e.g. "AUPR 45.9%". */
  summary?: string;
}

export interface CurveChartInput {
  curves: ChartCurve[];
  xTitle: string;
  yTitle: string;
  title: string;
  subtitle?: string;
  /** Horizontal reference, e.g. the positive rate (a random detector's precision). */
  baseline?: { label: string; value: number };
  /** Draw the y = x chance line (ROC). */
  diagonal?: boolean;
  /** "step-after" draws precision–recall as the step function average precision integrates. */
  interpolate?: 'linear' | 'step-after' | 'step-before';
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** x takes whole numbers only (epochs): integer ticks, no "1.5". */
  integerX?: boolean;
  width?: number;
  height?: number;
}

const schema = z.object({
  curves: z.array(z.object({ method: z.string().min(1), x: numArray, y: numArray, summary: z.string().optional() })).min(1),
  xTitle: z.string(),
  yTitle: z.string(),
  title: z.string().min(1),
  subtitle: z.string().optional(),
  baseline: z.object({ label: z.string(), value: z.number() }).optional(),
  diagonal: z.boolean().optional(),
  interpolate: z.enum(['linear', 'step-after', 'step-before']).optional(),
  xDomain: range2.optional(),
  yDomain: range2.optional(),
  integerX: z.boolean().optional(),
  width: z.number().positive().optional(),
  height: z.number().positive().optional(),
});

/**
 * Drop points closer than `tol` (in axis-normalised units) to the last kept one: a PR curve over
 * 10k thresholds keeps its shape with a few hundred vertices, and the SVG stays small.
 */
export function thinCurve(x: NumArray, y: NumArray, tol: number, xSpan = 1, ySpan = 1): { x: number[]; y: number[] } {
  const ox: number[] = [];
  const oy: number[] = [];
  const n = x.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) continue;
    const last = ox.length - 1;
    if (last >= 0 && i < n - 1 && Math.hypot((x[i] - ox[last]) / xSpan, (y[i] - oy[last]) / ySpan) < tol) continue;
    ox.push(x[i]);
    oy.push(y[i]);
  }
  return { x: ox, y: oy };
}

/** Precision–recall or ROC curves of several methods on one plot, legend with each summary. */
export function curveChart(input: CurveChartInput): TopLevelSpec {
  const p = validate(schema, input, 'curveChart') as CurveChartInput;
  p.curves.forEach((c, k) => {
    if (c.x.length !== c.y.length) throw new Error(`curveChart: curves.${k}.y: length ${c.y.length} differs from x (${c.x.length})`);
  });
  const xDomain = p.xDomain ?? [0, 1];
  const yDomain = p.yDomain ?? [0, 1];
  const labels = p.curves.map((c) => (c.summary ? `${c.method} — ${c.summary}` : c.method));
  const colors = seriesColors(p.curves.map((c) => c.method));
  const rows: Record<string, number | string>[] = [];
  p.curves.forEach((c, k) => {
    const t = thinCurve(c.x, c.y, 0.002, xDomain[1] - xDomain[0], yDomain[1] - yDomain[0]);
    t.x.forEach((xv, i) => rows.push({ x: xv, y: t.y[i], series: labels[k], i }));
  });
  const refLabel = p.baseline ? `${p.baseline.label} = ${fmt(p.baseline.value)}` : undefined;
  const diagLabel = p.diagonal ? 'chance' : undefined;
  const extra = [refLabel, diagLabel].filter((v): v is string => v !== undefined);
  const domain = [...labels, ...extra];
  const range = [...colors, ...extra.map(() => '#9aa3a9')];
  const shapes = Object.fromEntries([...labels.map((l) => [l, 'stroke'] as const), ...extra.map((l) => [l, 'dashed'] as const)]);
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain, range },
    legend: mixedLegend(shapes, { orient: 'right', labelLimit: 360 }),
  };
  const x = {
    field: 'x',
    type: 'quantitative',
    title: p.xTitle,
    scale: { domain: xDomain, nice: false },
    ...(p.integerX ? { axis: { tickMinStep: 1, format: 'd' } } : {}),
  };
  const y = { field: 'y', type: 'quantitative', title: p.yTitle, scale: { domain: yDomain, nice: false } };
  const layer: Record<string, unknown>[] = [];
  if (p.diagonal) {
    layer.push({
      data: { values: [{ x: xDomain[0], y: yDomain[0], x2: xDomain[1], y2: yDomain[1], series: diagLabel }] },
      mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.4 },
      encoding: { x, y, x2: { field: 'x2' }, y2: { field: 'y2' }, color },
    });
  }
  if (p.baseline) {
    layer.push({
      data: { values: [{ y: p.baseline.value, series: refLabel }] },
      mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.4 },
      encoding: { y, color },
    });
  }
  layer.push({
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 2.2, interpolate: p.interpolate ?? 'linear', clip: true, aria: false },
    encoding: { x, y, color, order: { field: 'i', type: 'quantitative' } },
  });
  return topLevel(p.title, p.subtitle, { width: p.width ?? 420, height: p.height ?? 340, layer });
}
