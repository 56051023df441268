import type { TopLevelSpec } from 'vega-lite';
import { z } from 'zod';
import {
  dashScale,
  finiteMinMax,
  mixedLegend,
  normaliseRanges,
  numArray,
  range2,
  sameLength,
  topLevel,
  validate,
  type NumArray,
} from './common.js';

export interface RegressionChartInput {
  xTest: NumArray;
  mean: NumArray;
  /** Predictive standard deviation (sqrt of the total predictive variance). */
  std: NumArray;
  /** Noise-free target at xTest (dashed). */
  truth?: NumArray;
  xTrain: NumArray;
  yTrain: NumArray;
  /** Where training inputs were drawn: one interval or several (two clouds). */
  trainRange: [number, number] | [number, number][];
  /** Mean of the training inputs (vertical rule). */
  barycentre?: number;
  title: string;
  subtitle?: string;
  xTitle?: string;
  yTitle?: string;
  /** y-axis limits; default clips runaway bands to the data's range ± 1.5 spans. */
  yDomain?: [number, number];
  width?: number;
  height?: number;
}

const schema = z.object({
  xTest: numArray.refine((a) => a.length >= 2, 'needs at least 2 test points'),
  mean: numArray,
  std: numArray,
  truth: numArray.optional(),
  xTrain: numArray,
  yTrain: numArray,
  trainRange: z.union([range2, z.array(range2)]),
  barycentre: z.number().optional(),
  title: z.string().min(1),
  subtitle: z.string().optional(),
  xTitle: z.string().optional(),
  yTitle: z.string().optional(),
  yDomain: range2.optional(),
  width: z.number().positive().optional(),
  height: z.number().positive().optional(),
});

export const REGRESSION_COLORS = {
  mean: '#2f5f98',
  band1: '#9dbcdd',
  band2: '#c3d6ea',
  band3: '#e2ebf5',
  truth: '#2d3436',
  train: '#c8553d',
  area: '#f4ecd8',
  barycentre: '#7a5195',
} as const;

const S = {
  mean: 'Predictive mean',
  truth: 'Noise-free truth',
  b1: '±1σ',
  b2: '±2σ',
  b3: '±3σ',
  train: 'Training points',
  area: 'Training area',
  bary: 'Training barycentre',
} as const;

/**
 * Bayesian regression fit: ±1/2/3σ bands (graded tints), predictive mean, noise-free truth
 * (dashed), training points, training area shaded, barycentre rule. Week 1: 1.4, bonus, 2.4, 2.5.
 */
export function regressionChart(input: RegressionChartInput): TopLevelSpec {
  const p = validate(schema, input, 'regressionChart') as RegressionChartInput;
  const n = p.xTest.length;
  sameLength('regressionChart', { name: 'xTest', n }, { mean: p.mean, std: p.std, truth: p.truth });
  sameLength('regressionChart', { name: 'xTrain', n: p.xTrain.length }, { yTrain: p.yTrain });

  const [xlo, xhi] = finiteMinMax(p.xTest);
  const ranges = normaliseRanges(p.trainRange);

  let yDomain = p.yDomain;
  if (!yDomain) {
    // The mean itself can run away outside the data (polynomial basis): only trust it inside.
    const inside = Array.from(p.mean).filter((_, i) => ranges.some(([a, b]) => p.xTest[i] >= a && p.xTest[i] <= b));
    const [dlo, dhi] = finiteMinMax(p.yTrain, p.truth, inside);
    const span = Math.max(dhi - dlo, 1e-6);
    const lo3 = finiteMinMax(Array.from(p.mean, (m, i) => m - 3 * p.std[i]))[0];
    const hi3 = finiteMinMax(Array.from(p.mean, (m, i) => m + 3 * p.std[i]))[1];
    yDomain = [Math.max(lo3, dlo - 1.5 * span), Math.min(hi3, dhi + 1.5 * span)];
    const pad = 0.04 * (yDomain[1] - yDomain[0] || 1);
    yDomain = [yDomain[0] - pad, yDomain[1] + pad];
  }

  const bands: Record<string, number | string>[] = [];
  const lines: Record<string, number | string>[] = [];
  for (const [k, label] of [
    [3, S.b3],
    [2, S.b2],
    [1, S.b1],
  ] as const) {
    for (let i = 0; i < n; i++) bands.push({ x: p.xTest[i], lo: p.mean[i] - k * p.std[i], hi: p.mean[i] + k * p.std[i], series: label });
  }
  for (let i = 0; i < n; i++) {
    lines.push({ x: p.xTest[i], y: p.mean[i], series: S.mean });
    if (p.truth) lines.push({ x: p.xTest[i], y: p.truth[i], series: S.truth });
  }
  const points = Array.from(p.xTrain, (x, i) => ({ x, y: p.yTrain[i], series: S.train }));

  const domain: string[] = [
    S.mean,
    ...(p.truth ? [S.truth] : []),
    S.b1,
    S.b2,
    S.b3,
    S.train,
    S.area,
    ...(p.barycentre !== undefined ? [S.bary] : []),
  ];
  const colorOf: Record<string, string> = {
    [S.mean]: REGRESSION_COLORS.mean,
    [S.truth]: REGRESSION_COLORS.truth,
    [S.b1]: REGRESSION_COLORS.band1,
    [S.b2]: REGRESSION_COLORS.band2,
    [S.b3]: REGRESSION_COLORS.band3,
    [S.train]: REGRESSION_COLORS.train,
    [S.area]: REGRESSION_COLORS.area,
    [S.bary]: REGRESSION_COLORS.barycentre,
  };
  const shapes = { [S.mean]: 'stroke', [S.truth]: 'dashed', [S.train]: 'circle', [S.bary]: 'dotted' } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain, range: domain.map((d) => colorOf[d]) },
    legend: mixedLegend(shapes),
  };
  const x = { field: 'x', type: 'quantitative', title: p.xTitle ?? 'x', scale: { domain: [xlo, xhi], nice: false, zero: false } };
  const yScale = { domain: yDomain, nice: false, zero: false };
  const yTitle = p.yTitle ?? 'y';

  const layer: Record<string, unknown>[] = [
    {
      data: { values: ranges.map(([lo, hi]) => ({ x: Math.max(lo, xlo), x2: Math.min(hi, xhi), series: S.area })) },
      mark: { type: 'rect', clip: true },
      encoding: { x, x2: { field: 'x2' }, color },
    },
    {
      data: { values: bands },
      mark: { type: 'area', clip: true, opacity: 1 },
      encoding: {
        x,
        y: { field: 'lo', type: 'quantitative', title: yTitle, scale: yScale },
        y2: { field: 'hi' },
        color,
        order: { value: 0 },
        detail: { field: 'series' },
      },
    },
    {
      data: { values: lines },
      mark: { type: 'line', clip: true },
      encoding: {
        x,
        y: { field: 'y', type: 'quantitative', title: yTitle, scale: yScale },
        color,
        strokeDash: {
          field: 'series',
          type: 'nominal',
          scale: dashScale(domain, shapes),
          legend: null,
        },
        strokeWidth: { condition: { test: `datum.series === '${S.truth}'`, value: 1.6 }, value: 2.4 },
      },
    },
    {
      data: { values: points },
      mark: { type: 'point', filled: true, size: 30, stroke: '#ffffff', strokeWidth: 0.8, opacity: 0.95, clip: true },
      encoding: { x, y: { field: 'y', type: 'quantitative', title: yTitle, scale: yScale }, color },
    },
  ];
  if (p.barycentre !== undefined) {
    layer.push({
      data: { values: [{ x: p.barycentre, series: S.bary }] },
      mark: { type: 'rule', strokeWidth: 1.6, strokeDash: [3, 3] },
      encoding: { x, color },
    });
  }
  return topLevel(p.title, p.subtitle, { width: p.width ?? 560, height: p.height ?? 320, layer });
}
