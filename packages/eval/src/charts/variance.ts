import type { TopLevelSpec } from 'vega-lite';
import { z } from 'zod';
import {
  dashScale,
  finiteMinMax,
  fmt,
  LOG_LABEL_EXPR,
  mixedLegend,
  normaliseRanges,
  numArray,
  range2,
  sameLength,
  topLevel,
  validate,
  type LegendShape,
  type NumArray,
} from './common.js';
import { REGRESSION_COLORS } from './regression.js';
import { SERIES_PALETTE } from './theme.js';

export interface VarianceSeries {
  name: string;
  values: NumArray;
}

export interface VarianceChartInput {
  xTest: NumArray;
  /** Predictive variance σ²(x) (drawn solid). */
  variance: NumArray;
  /** Name of the main curve in the legend (default "σ² (numeric)" when overlays exist). */
  varianceName?: string;
  /** Overlaid curves (e.g. the analytic σ² of 1.5): dashed with sparse markers. */
  series?: VarianceSeries[];
  trainRange: [number, number] | [number, number][];
  barycentre?: number;
  /** Horizontal reference, e.g. { label: '1/β', value: 0.08 }. */
  reference?: { label: string; value: number };
  title: string;
  subtitle?: string;
  xTitle?: string;
  yTitle?: string;
  /** Log-scale y (variance spanning decades, polynomial basis). */
  logY?: boolean;
  width?: number;
  height?: number;
}

const schema = z.object({
  xTest: numArray.refine((a) => a.length >= 2, 'needs at least 2 test points'),
  variance: numArray,
  varianceName: z.string().optional(),
  series: z.array(z.object({ name: z.string().min(1), values: numArray })).optional(),
  trainRange: z.union([range2, z.array(range2)]),
  barycentre: z.number().optional(),
  reference: z.object({ label: z.string(), value: z.number() }).optional(),
  title: z.string().min(1),
  subtitle: z.string().optional(),
  xTitle: z.string().optional(),
  yTitle: z.string().optional(),
  logY: z.boolean().optional(),
  width: z.number().positive().optional(),
  height: z.number().positive().optional(),
});

/** Predictive variance σ²(x) with optional overlays, training area, barycentre and a 1/β rule. */
export function varianceChart(input: VarianceChartInput): TopLevelSpec {
  const p = validate(schema, input, 'varianceChart') as VarianceChartInput;
  const n = p.xTest.length;
  const series = p.series ?? [];
  sameLength(
    'varianceChart',
    { name: 'xTest', n },
    { variance: p.variance, ...Object.fromEntries(series.map((s) => [`series "${s.name}"`, s.values])) },
  );
  const mainName = p.varianceName ?? (series.length ? 'σ² (numeric)' : 'Predictive variance σ²');
  const [xlo, xhi] = finiteMinMax(p.xTest);
  const areaName = 'Training area';
  const baryName = 'Training barycentre';
  const refName = p.reference ? `${p.reference.label} = ${fmt(p.reference.value)}` : '';

  const curves: Record<string, number | string>[] = [];
  for (let i = 0; i < n; i++) curves.push({ x: p.xTest[i], y: p.variance[i], series: mainName });
  const markers: Record<string, number | string>[] = [];
  const every = Math.max(1, Math.round(n / 25));
  for (const s of series) {
    for (let i = 0; i < n; i++) {
      curves.push({ x: p.xTest[i], y: s.values[i], series: s.name });
      if (i % every === 0) markers.push({ x: p.xTest[i], y: s.values[i], series: s.name });
    }
  }

  const names = [mainName, ...series.map((s) => s.name)];
  const colors = [REGRESSION_COLORS.mean, ...series.map((_, i) => SERIES_PALETTE[(i + 1) % SERIES_PALETTE.length])];
  const domain = [...names, areaName, ...(p.barycentre !== undefined ? [baryName] : []), ...(p.reference ? [refName] : [])];
  const range = [
    ...colors,
    REGRESSION_COLORS.area,
    ...(p.barycentre !== undefined ? [REGRESSION_COLORS.barycentre] : []),
    ...(p.reference ? ['#5f6b78'] : []),
  ];
  const shapes: Record<string, LegendShape> = { [mainName]: 'stroke', [baryName]: 'dotted', [refName]: 'dashed' };
  series.forEach((s) => (shapes[s.name] = 'dashed'));
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain, range }, legend: mixedLegend(shapes) };
  const x = { field: 'x', type: 'quantitative', title: p.xTitle ?? 'x', scale: { domain: [xlo, xhi], nice: false, zero: false } };
  const y = {
    field: 'y',
    type: 'quantitative',
    title: p.yTitle ?? 'predictive variance σ²(x)',
    scale: p.logY ? { type: 'log' } : { zero: false },
    axis: p.logY ? { tickCount: 8, labelExpr: LOG_LABEL_EXPR, gridOpacity: 0.8 } : {},
  };

  const layer: Record<string, unknown>[] = [
    {
      data: {
        values: normaliseRanges(p.trainRange).map(([lo, hi]) => ({ x: Math.max(lo, xlo), x2: Math.min(hi, xhi), series: areaName })),
      },
      mark: { type: 'rect', clip: true },
      encoding: { x, x2: { field: 'x2' }, color },
    },
    {
      data: { values: curves },
      mark: { type: 'line', clip: true },
      encoding: {
        x,
        y,
        color,
        strokeDash: { field: 'series', type: 'nominal', scale: dashScale(domain, shapes), legend: null },
        strokeWidth: { condition: { test: `datum.series === '${mainName.replace(/'/g, "\\'")}'`, value: 3 }, value: 2 },
      },
    },
  ];
  if (markers.length) {
    layer.push({ data: { values: markers }, mark: { type: 'point', filled: true, size: 26, clip: true }, encoding: { x, y, color } });
  }
  if (p.barycentre !== undefined) {
    layer.push({
      data: { values: [{ x: p.barycentre, series: baryName }] },
      mark: { type: 'rule', strokeWidth: 1.6, strokeDash: [3, 3] },
      encoding: { x, color },
    });
  }
  if (p.reference) {
    layer.push({
      data: { values: [{ y: p.reference.value, series: refName }] },
      mark: { type: 'rule', strokeWidth: 1.4, strokeDash: [6, 4] },
      encoding: { y, color },
    });
  }
  return topLevel(p.title, p.subtitle, { width: p.width ?? 560, height: p.height ?? 280, layer });
}
