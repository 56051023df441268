import { parseOptions } from '@rdl/core';
import type { TopLevelSpec } from 'vega-lite';
import { z } from 'zod';
import { chartTheme } from './theme.js';

/** Numeric input accepted by every chart builder. */
export type NumArray = readonly number[] | Float64Array | Float32Array;

// Non-finite entries are allowed (masked or diverging values); builders skip or clamp them.
export const numArray = z.union([
  z.array(z.custom<number>((v) => typeof v === 'number', 'must be a number')),
  z.instanceof(Float64Array),
  z.instanceof(Float32Array),
]);
export const range2 = z.tuple([z.number(), z.number()]).refine(([a, b]) => b > a, 'must be [lo, hi] with lo < hi');

/** Parse with zod and throw one message naming the builder and the field. */
export function validate<T>(schema: z.ZodType<T>, input: unknown, fn: string): T {
  return parseOptions(schema, input, fn);
}

export function sameLength(fn: string, ref: { name: string; n: number }, others: Record<string, NumArray | undefined>): void {
  for (const [name, arr] of Object.entries(others)) {
    if (arr && arr.length !== ref.n) throw new Error(`${fn}: ${name}: length ${arr.length} differs from ${ref.name} (${ref.n})`);
  }
}

/** Accept one [lo, hi] interval or a list of them (two clouds with a hole). */
export function normaliseRanges(r: [number, number] | [number, number][] | undefined): [number, number][] {
  if (!r) return [];
  return (Array.isArray(r[0]) ? r : [r]) as [number, number][];
}

export function finiteMinMax(...arrays: (NumArray | undefined)[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    if (!a) continue;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** Top-level boilerplate: schema, theme, title/subtitle. */
export function topLevel(title: string, subtitle: string | undefined, body: Record<string, unknown>): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: subtitle ? { text: title, subtitle } : title,
    config: chartTheme,
    ...body,
  } as TopLevelSpec;
}

/** Shortest decimal form that is readable on an axis or in a legend. */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(2);
  return Number(v.toPrecision(digits)).toString();
}

export type LegendShape = 'stroke' | 'dashed' | 'dotted' | 'circle' | 'square';

function jsString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * Legend whose symbol matches each series' mark: a line for lines, a dashed line for dashed
 * ones, a dot for points, a square for areas. vega-lite merges layered legends into one symbol
 * type; this overrides it per entry through a vega encode block on the `color` scale.
 */
export function mixedLegend(shapes: Record<string, LegendShape>, base: Record<string, unknown> = {}): Record<string, unknown> {
  const byShape = (wanted: LegendShape[]): string =>
    `indexof([${Object.entries(shapes)
      .filter(([, s]) => wanted.includes(s))
      .map(([k]) => jsString(k))
      .join(',')}], datum.value) >= 0`;
  const lineLike = byShape(['stroke', 'dashed', 'dotted']);
  return {
    symbolType: 'square',
    ...base,
    encode: {
      symbols: {
        update: {
          shape: { signal: `${lineLike} ? 'stroke' : ${byShape(['circle'])} ? 'circle' : 'square'` },
          stroke: { scale: 'color', field: 'value' },
          strokeWidth: { signal: `${lineLike} ? 2.4 : 0` },
          strokeDash: { signal: `${byShape(['dashed'])} ? [5, 3] : ${byShape(['dotted'])} ? [2, 2] : [1, 0]` },
          size: { signal: `${lineLike} ? 180 : ${byShape(['circle'])} ? 60 : 120` },
          opacity: { value: 1 },
        },
      },
    },
  };
}

/**
 * strokeDash scale covering every legend entry: vega-lite writes the legend's dash from this
 * scale, so entries missing from it (rules drawn with a mark-level dash) would show solid.
 */
export function dashScale(domain: string[], shapes: Record<string, LegendShape>): { domain: string[]; range: number[][] } {
  const dash = (s: LegendShape | undefined): number[] => (s === 'dashed' ? [6, 4] : s === 'dotted' ? [2, 3] : [1, 0]);
  return { domain, range: domain.map((d) => dash(shapes[d])) };
}

/** Log-axis labels: plain numbers in the middle decades, exponents at the extremes. */
export const LOG_LABEL_EXPR = "abs(datum.value) >= 1e4 || abs(datum.value) < 1e-2 ? format(datum.value, '.0e') : format(datum.value, '~g')";
