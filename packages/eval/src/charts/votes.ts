import type { TopLevelSpec } from 'vega-lite';
import { z } from 'zod';
import { mixedLegend, topLevel, validate } from './common.js';
import { digitToPngUri } from './raster.js';
import { INK, METHOD_COLORS } from './theme.js';

export interface VoteItem {
  /** Votes per class over T stochastic passes (counts of each argmax). */
  votes: number[];
  /** Mean softmax probability per class (drawn as ticks on the same 0–1 scale). */
  probs?: number[];
  trueLabel: number;
  /** The method's prediction (e.g. argmax of the mean softmax); default: the modal vote. */
  predicted?: number;
  /** The image (side² pixels), drawn left of its histogram. */
  image?: ArrayLike<number>;
  /** Panel heading; default "true t · predicted p · VR v". */
  caption?: string;
}

export interface VoteHistogramInput extends VoteItem {
  title: string;
  subtitle?: string;
}

export interface VoteHistogramGridInput {
  items: VoteItem[];
  title: string;
  subtitle?: string;
  columns?: number;
}

const itemSchema = z.object({
  votes: z.array(z.number().nonnegative()).min(2),
  probs: z.array(z.number()).optional(),
  trueLabel: z.number().int().nonnegative(),
  predicted: z.number().int().nonnegative().optional(),
  image: z
    .custom<ArrayLike<number>>((v) => v != null && typeof (v as ArrayLike<number>).length === 'number', 'must be an array of pixels')
    .optional(),
  caption: z.string().optional(),
});

const ROLE = { truth: 'true class', pred: 'predicted (wrong)', other: 'other classes', prob: 'mean softmax p' } as const;
const ROLE_COLORS = { [ROLE.truth]: METHOD_COLORS.ConfidNet, [ROLE.pred]: '#c0392b', [ROLE.other]: '#b7bec5', [ROLE.prob]: INK };

function panel(item: VoteItem, where: string): Record<string, unknown> {
  const total = item.votes.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new Error(`${where}.votes: no votes (all counts are 0)`);
  if (item.probs && item.probs.length !== item.votes.length)
    throw new Error(`${where}.probs: ${item.probs.length} values for ${item.votes.length} classes`);
  if (item.trueLabel >= item.votes.length) throw new Error(`${where}.trueLabel: ${item.trueLabel} is not a class index`);
  const mode = item.votes.indexOf(Math.max(...item.votes));
  const vr = 1 - item.votes[mode] / total;
  const pred = item.predicted ?? mode;
  const rows = item.votes.map((v, c) => ({
    cls: String(c),
    share: v / total,
    count: v,
    label: v > 0 ? String(v) : '',
    role: c === item.trueLabel ? ROLE.truth : c === pred ? ROLE.pred : ROLE.other,
  }));
  const classes = rows.map((r) => r.cls);
  const x = { field: 'cls', type: 'ordinal', title: 'class', sort: classes, axis: { labelAngle: 0 } };
  const y = {
    field: 'share',
    type: 'quantitative',
    title: 'share of T passes',
    scale: { domain: [0, 1] },
    axis: { format: '.0%', tickCount: 5 },
  };
  const roles = [ROLE.truth, ROLE.pred, ROLE.other, ...(item.probs ? [ROLE.prob] : [])];
  const color = {
    field: 'role',
    type: 'nominal',
    title: null,
    scale: { domain: roles, range: roles.map((r) => ROLE_COLORS[r]) },
    legend: mixedLegend({ [ROLE.prob]: 'stroke' }),
  };
  const layers: Record<string, unknown>[] = [
    { data: { values: rows }, mark: { type: 'bar', cornerRadiusTopLeft: 2, cornerRadiusTopRight: 2 }, encoding: { x, y, color } },
    {
      data: { values: rows },
      mark: { type: 'text', dy: -7, fontSize: 10, color: INK },
      encoding: { x, y, text: { field: 'label' } },
    },
  ];
  if (item.probs) {
    const probRows = item.probs.map((pv, c) => ({ cls: String(c), share: pv, role: ROLE.prob }));
    layers.push({ data: { values: probRows }, mark: { type: 'tick', thickness: 2, size: 14 }, encoding: { x, y, color } });
  }
  const caption = item.caption ?? `true ${item.trueLabel} · predicted ${pred} · VR ${vr.toFixed(2)}`;
  const bars = { width: 230, height: 130, layer: layers };
  if (!item.image) return { title: { text: caption, fontSize: 12, fontWeight: 500, anchor: 'start' }, ...bars };
  const side = Math.round(Math.sqrt(item.image.length));
  const url = digitToPngUri(Array.prototype.slice.call(item.image) as number[], { side });
  const imageView = {
    width: 84,
    height: 84,
    view: { stroke: null },
    data: { values: [{ x: 0, y: 0, x2: 1, y2: 1, url }] },
    encoding: {
      x: { field: 'x', type: 'quantitative', axis: null, scale: { domain: [0, 1], nice: false } },
      y: { field: 'y', type: 'quantitative', axis: null, scale: { domain: [0, 1], nice: false } },
      x2: { field: 'x2' },
      y2: { field: 'y2' },
    },
    layer: [
      { mark: { type: 'image', aspect: false, aria: false }, encoding: { url: { field: 'url', type: 'nominal' } } },
      { mark: { type: 'rect', fill: null, stroke: '#cfd4d8', strokeWidth: 1 } },
    ],
  };
  return { title: { text: caption, fontSize: 12, fontWeight: 500, anchor: 'start' }, hconcat: [imageView, bars], spacing: 10 };
}

const gridSchema = z.object({
  items: z.array(itemSchema).min(1),
  title: z.string().min(1),
  subtitle: z.string().optional(),
  columns: z.number().int().positive().optional(),
});

/** Several images side by side, each with its per-class vote histogram (the report's showUncertainty). */
export function voteHistogramGridChart(input: VoteHistogramGridInput): TopLevelSpec {
  const p = validate(gridSchema, input, 'voteHistogramGridChart') as VoteHistogramGridInput;
  const views = p.items.map((it, i) => panel(it, `voteHistogramGridChart: items.${i}`));
  return topLevel(p.title, p.subtitle, { concat: views, columns: p.columns ?? Math.min(2, views.length), spacing: 24 });
}

/** Per-class vote histogram of one image over T stochastic passes (with the image when given). */
export function voteHistogramChart(input: VoteHistogramInput): TopLevelSpec {
  const p = validate(
    itemSchema.extend({ title: z.string().min(1), subtitle: z.string().optional() }),
    input,
    'voteHistogramChart',
  ) as VoteHistogramInput;
  const { title, subtitle, ...item } = p;
  const view = panel(item, 'voteHistogramChart');
  return topLevel(title, subtitle, { concat: [view], columns: 1 });
}
