import type { TopLevelSpec } from 'vega-lite';
import { z } from 'zod';
import { finiteMinMax, mixedLegend, numArray, range2, topLevel, validate, type NumArray } from './common.js';
import { isoSegments } from './contour.js';
import { gridToPngUri } from './raster.js';
import { CLASS_COLORS } from './theme.js';

export interface DecisionMapPanel {
  /** Method name, e.g. "MAP", "Laplace", "VI", "MC dropout". */
  title: string;
  /** Grid inputs, M × 2 row-major (x1, x2 pairs) on a regular lattice, any point order. */
  gridX: NumArray;
  /** Mean p(y = 1 | x) at each grid point. */
  probs: NumArray;
  /** Optional per-point uncertainty (e.g. predictive entropy): coloured instead of p. */
  values?: NumArray;
  /** Points per axis (informative; the lattice is read from gridX). */
  resolution?: number;
}

export interface DecisionMapInput {
  panels: DecisionMapPanel[];
  points: { x: NumArray; labels: ArrayLike<number> };
  title?: string;
  subtitle?: string;
  /** Legend title of `values` (default "predictive entropy (nats)"). */
  valuesTitle?: string;
  /** Colour domain of `values` (default: min..max over all panels). */
  valuesDomain?: [number, number];
  /** Continuous vega schemes (defaults "blueorange" for p, "purples" for values). */
  probScheme?: string;
  valuesScheme?: string;
  panelSize?: number;
  columns?: number;
  /** Draw at most this many data points per panel (every k-th; default 600) to keep SVGs light. */
  maxPoints?: number;
  xTitle?: string;
  yTitle?: string;
}

const panelSchema = z.object({
  title: z.string(),
  gridX: numArray,
  probs: numArray,
  values: numArray.optional(),
  resolution: z.number().int().min(2).optional(),
});

const schema = z.object({
  panels: z.array(panelSchema).min(1),
  points: z.object({
    x: numArray,
    labels: z.custom<ArrayLike<number>>(
      (v) => v != null && typeof (v as ArrayLike<number>).length === 'number',
      'must be an array of class labels',
    ),
  }),
  title: z.string().optional(),
  subtitle: z.string().optional(),
  valuesTitle: z.string().optional(),
  valuesDomain: range2.optional(),
  probScheme: z.string().optional(),
  valuesScheme: z.string().optional(),
  panelSize: z.number().positive().optional(),
  columns: z.number().int().positive().optional(),
  maxPoints: z.number().int().positive().optional(),
  xTitle: z.string().optional(),
  yTitle: z.string().optional(),
});

interface Lattice {
  xs: number[];
  ys: number[];
  /** lattice index (iy * nx + ix) → input row */
  index: Int32Array;
}

const key = (v: number): string => v.toPrecision(9);

/** Read the regular lattice behind a list of grid points, whatever order they come in. */
export function readLattice(gridX: NumArray, where: string): Lattice {
  if (gridX.length % 2 !== 0) throw new Error(`${where}: gridX length ${gridX.length} is not M × 2`);
  const m = gridX.length / 2;
  const xs = [...new Set(Array.from({ length: m }, (_, i) => key(gridX[2 * i])))].map(Number).sort((a, b) => a - b);
  const ys = [...new Set(Array.from({ length: m }, (_, i) => key(gridX[2 * i + 1])))].map(Number).sort((a, b) => a - b);
  if (xs.length * ys.length !== m || xs.length < 2 || ys.length < 2) {
    throw new Error(`${where}: gridX is not a full regular lattice (${xs.length} × ${ys.length} distinct coordinates for ${m} points)`);
  }
  const xi = new Map(xs.map((v, i) => [key(v), i]));
  const yi = new Map(ys.map((v, i) => [key(v), i]));
  const index = new Int32Array(m).fill(-1);
  for (let r = 0; r < m; r++) index[(yi.get(key(gridX[2 * r + 1])) as number) * xs.length + (xi.get(key(gridX[2 * r])) as number)] = r;
  if (index.includes(-1)) throw new Error(`${where}: gridX repeats some lattice points`);
  return { xs, ys, index };
}

const BOUNDARY = 'decision boundary p = 0.5';

/**
 * Side-by-side maps of a binary classifier over the input plane: mean p(y = 1 | x) (diverging)
 * or an uncertainty such as predictive entropy, the p = 0.5 boundary, and the training points.
 * Week 2: MAP vs Laplace; deterministic vs VI vs MC dropout.
 */
export function decisionMapChart(input: DecisionMapInput): TopLevelSpec {
  const p = validate(schema, input, 'decisionMapChart') as DecisionMapInput;
  const n = p.points.labels.length;
  if (p.points.x.length !== 2 * n) throw new Error(`decisionMapChart: points.x: length ${p.points.x.length} is not 2 × labels (${n})`);
  const size = p.panelSize ?? 260;
  const probScheme = p.probScheme ?? 'blueorange';
  const valuesScheme = p.valuesScheme ?? 'purples';
  const valuesTitle = p.valuesTitle ?? 'predictive entropy (nats)';
  const columns = p.columns ?? Math.min(p.panels.length, 3);
  const allValues = p.panels.map((q) => q.values).filter((v): v is NumArray => v !== undefined);
  const vDomain = p.valuesDomain ?? finiteMinMax(...allValues);
  const hasProbPanel = p.panels.some((q) => !q.values);

  const stride = Math.max(1, Math.ceil(n / (p.maxPoints ?? 600)));
  const allPts = Array.from({ length: n }, (_, i) => ({
    x: p.points.x[2 * i],
    y: p.points.x[2 * i + 1],
    series: `class ${p.points.labels[i]}`,
  }));
  const classes = [...new Set(allPts.map((d) => d.series))].sort();
  const pts = allPts.filter((_, i) => i % stride === 0);
  const colorDomain = [...classes, BOUNDARY];
  const colorRange = [...classes.map((_, i) => CLASS_COLORS[i % CLASS_COLORS.length]), '#1b1b1b'];
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: colorDomain, range: colorRange },
    legend: mixedLegend({ ...Object.fromEntries(classes.map((c) => [c, 'circle' as const])), [BOUNDARY]: 'stroke' }),
  };

  const views = p.panels.map((panel, k) => {
    const where = `decisionMapChart: panels.${k}`;
    const lat = readLattice(panel.gridX, where);
    const m = panel.gridX.length / 2;
    if (panel.probs.length !== m) throw new Error(`${where}.probs: length ${panel.probs.length} differs from the ${m} grid points`);
    if (panel.values && panel.values.length !== m)
      throw new Error(`${where}.values: length ${panel.values.length} differs from the ${m} grid points`);
    const nx = lat.xs.length;
    const ny = lat.ys.length;
    const prob = (ix: number, iy: number): number => panel.probs[lat.index[iy * nx + ix]];
    const shown = panel.values;
    const url = gridToPngUri(
      shown
        ? { nx, ny, value: (ix, iy) => shown[lat.index[iy * nx + ix]], domain: vDomain, scheme: valuesScheme }
        : { nx, ny, value: prob, domain: [0, 1], scheme: probScheme },
    );
    const [x0, x1] = [lat.xs[0], lat.xs[nx - 1]];
    const [y0, y1] = [lat.ys[0], lat.ys[ny - 1]];
    const hx = (x1 - x0) / (nx - 1) / 2;
    const hy = (y1 - y0) / (ny - 1) / 2;
    const x = { field: 'x', type: 'quantitative', title: p.xTitle ?? 'x₁', scale: { domain: [x0, x1], nice: false, zero: false } };
    const y = {
      field: 'y',
      type: 'quantitative',
      title: k % columns === 0 ? (p.yTitle ?? 'x₂') : null,
      scale: { domain: [y0, y1], nice: false, zero: false },
    };
    const segments = isoSegments(prob, lat.xs, lat.ys, 0.5).map((s) => ({ ...s, series: BOUNDARY }));
    const layers: Record<string, unknown>[] = [
      {
        data: { values: [{ x: x0 - hx, x2: x1 + hx, y: y0 - hy, y2: y1 + hy, url }] },
        mark: { type: 'image', aspect: false, clip: true, aria: false },
        encoding: { x, y, x2: { field: 'x2' }, y2: { field: 'y2' }, url: { field: 'url', type: 'nominal' } },
      },
      {
        data: { values: pts },
        mark: { type: 'point', filled: true, size: 22, opacity: 1, stroke: '#1f2933', strokeWidth: 0.6, clip: true, aria: false },
        encoding: { x, y, color },
      },
    ];
    if (segments.length) {
      layers.push({
        data: { values: segments },
        mark: { type: 'rule', strokeWidth: 2, strokeCap: 'round', clip: true, aria: false },
        encoding: { x, y, x2: { field: 'x2' }, y2: { field: 'y2' }, color },
      });
    }
    if (k === p.panels.length - 1) {
      // Invisible layers whose only job is the gradient legends of the rasters.
      if (hasProbPanel) {
        layers.push({
          data: { values: [{ v: 0 }, { v: 1 }] },
          mark: { type: 'point', opacity: 0 },
          encoding: {
            fill: {
              field: 'v',
              type: 'quantitative',
              title: 'p(y=1|x)',
              scale: { domain: [0, 1], scheme: probScheme },
              legend: { gradientLength: 120 },
            },
          },
        });
      }
      if (allValues.length) {
        layers.push({
          data: { values: [{ v: vDomain[0] }, { v: vDomain[1] }] },
          mark: { type: 'point', opacity: 0 },
          encoding: {
            stroke: {
              field: 'v',
              type: 'quantitative',
              title:
                valuesTitle.split(' (').length > 1
                  ? [valuesTitle.split(' (')[0], `(${valuesTitle.split(' (').slice(1).join(' (')}`]
                  : valuesTitle,
              scale: { domain: vDomain, scheme: valuesScheme },
              legend: { gradientLength: 120, type: 'gradient' },
            },
          },
        });
      }
    }
    return { title: { text: panel.title, anchor: 'middle', fontSize: 13, fontWeight: 600 }, width: size, height: size, layer: layers };
  });
  const title =
    p.title ?? (allValues.length ? 'Predictive uncertainty over the input plane' : 'Mean prediction p(y=1|x) over the input plane');
  return topLevel(title, p.subtitle, { concat: views, columns, resolve: { scale: { x: 'independent', y: 'independent' } } });
}
