import type { Config } from 'vega-lite';

/**
 * One theme for every figure: a quiet sans-serif, light grid, muted colours, and a fixed colour
 * per method so that "VI" is the same red in week 2 maps and week 3 curves.
 */

/** Browser fonts first (HTML reports); DejaVu Sans is what resvg finds on this machine. */
export const FONT_FAMILY = 'Inter, Segoe UI, Helvetica Neue, Arial, DejaVu Sans, sans-serif';
/** Fallback family handed to resvg when none of FONT_FAMILY is installed. */
export const RASTER_FONT = 'DejaVu Sans';

export const INK = '#2d3436';
export const MUTED_INK = '#636e72';
export const GRID = '#e6e8ea';

/** Fixed method colours (muted, colour-blind-aware pairs kept apart). */
export const METHOD_COLORS = {
  MAP: '#5f6b78',
  Laplace: '#3e7cb1',
  VI: '#c8553d',
  'MC dropout': '#e09f3e',
  MCP: '#7a5195',
  ConfidNet: '#2a9d8f',
  ODIN: '#8a6f3b',
} as const;

export type MethodName = keyof typeof METHOD_COLORS;

/** Extra colours for series that are not methods (cycled). */
export const SERIES_PALETTE = ['#3e7cb1', '#c8553d', '#2a9d8f', '#e09f3e', '#7a5195', '#8a6f3b', '#d4799b', '#5f6b78'];

/** Binary class colours for scatter points on maps. */
export const CLASS_COLORS = ['#6aa6e0', '#f5a35c'] as const;

const ALIASES: Record<string, MethodName> = {
  map: 'MAP',
  deterministic: 'MAP',
  det: 'MAP',
  laplace: 'Laplace',
  vi: 'VI',
  variational: 'VI',
  variationalinference: 'VI',
  bayesbyvi: 'VI',
  mcdropout: 'MC dropout',
  dropout: 'MC dropout',
  mcp: 'MCP',
  msp: 'MCP',
  confidnet: 'ConfidNet',
  tcp: 'ConfidNet',
  odin: 'ODIN',
};

/** The canonical method a label refers to ("MC Dropout", "mc_dropout (T=100)" → "MC dropout"), if any. */
export function canonicalMethod(label: string): MethodName | undefined {
  const key = label
    .toLowerCase()
    .replace(/\(.*\)/g, '')
    .replace(/[^a-z]/g, '');
  if (ALIASES[key]) return ALIASES[key];
  // Longest alias that prefixes the label, so "VI (100 samples)" or "Laplace-probit" still match.
  const hit = Object.keys(ALIASES)
    .filter((a) => a.length >= 3 && key.startsWith(a))
    .sort((a, b) => b.length - a.length)[0];
  return hit ? ALIASES[hit] : undefined;
}

/**
 * Colour for a series label: the method's fixed colour, else the palette in order of first use.
 * Only the first label of a method gets its colour; a variant of it shown beside it ("MC dropout
 * (own errors)" after "MC dropout", "ODIN (OOD-free)" after "ODIN") takes the next free colour,
 * so two curves never share one.
 */
export function seriesColors(labels: readonly string[]): string[] {
  const used = new Set<string>();
  const canon = labels.map((l) => canonicalMethod(l));
  const owner = new Map<MethodName, number>();
  canon.forEach((m, i) => {
    if (m && !owner.has(m)) {
      owner.set(m, i);
      used.add(METHOD_COLORS[m]);
    }
  });
  const free = SERIES_PALETTE.filter((c) => !used.has(c));
  let next = 0;
  return canon.map((m, i) => (m && owner.get(m) === i ? METHOD_COLORS[m] : free[next++ % free.length]!));
}

/** vega-lite config shared by every chart. */
export const chartTheme: Config = {
  font: FONT_FAMILY,
  background: '#ffffff',
  padding: 12,
  view: { stroke: '#cfd4d8', strokeWidth: 1 },
  title: {
    font: FONT_FAMILY,
    fontSize: 15,
    fontWeight: 600,
    color: INK,
    anchor: 'start',
    offset: 10,
    subtitleFontSize: 12,
    subtitleColor: MUTED_INK,
  },
  axis: {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 500,
    labelColor: MUTED_INK,
    titleColor: INK,
    gridColor: GRID,
    domainColor: '#9aa3a9',
    tickColor: '#9aa3a9',
    titlePadding: 8,
    labelFlush: false,
  },
  header: {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: 12,
    labelColor: INK,
    titleFontSize: 12,
  },
  legend: {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 500,
    labelColor: INK,
    titleColor: INK,
    symbolSize: 110,
    rowPadding: 4,
    labelLimit: 320,
  },
  range: { category: SERIES_PALETTE },
  line: { strokeWidth: 2 },
  point: { size: 28, filled: true },
  concat: { spacing: 18 },
};
