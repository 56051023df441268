import type { TopLevelSpec } from 'vega-lite';
import { z } from 'zod';
import { topLevel, validate } from './common.js';
import { digitToPngUri } from './raster.js';
import { renderChart, type RenderedChart } from './render.js';
import { INK } from './theme.js';

export interface ImageGridInput {
  /** K images of side² grey pixels each (bytes 0–255 or floats 0–1), row-major, concatenated. */
  images: ArrayLike<number>;
  /** One caption per image, e.g. "VR 0.62\n3 → 5" (\n breaks lines). */
  captions: string[];
  /** Optional true labels; prefixed to the caption as "label 3" when given. */
  labels?: ArrayLike<number>;
  /** Captions drawn in red (e.g. misclassified). */
  flagged?: boolean[];
  columns?: number;
  /** Image side in pixels of the data (default 28). */
  side?: number;
  /** Drawn image size in CSS pixels (default 72). */
  cellSize?: number;
  title: string;
  subtitle?: string;
  /** Dark ink on white (default true); false keeps MNIST's white-on-black. */
  invert?: boolean;
}

const schema = z.object({
  images: z.custom<ArrayLike<number>>(
    (v) => v != null && typeof (v as ArrayLike<number>).length === 'number',
    'must be an array of pixels',
  ),
  captions: z.array(z.string()),
  labels: z.custom<ArrayLike<number>>((v) => v != null && typeof (v as ArrayLike<number>).length === 'number').optional(),
  flagged: z.array(z.boolean()).optional(),
  columns: z.number().int().positive().optional(),
  side: z.number().int().positive().optional(),
  cellSize: z.number().positive().optional(),
  title: z.string().min(1),
  subtitle: z.string().optional(),
  invert: z.boolean().optional(),
});

export const FLAG_COLOR = '#c0392b';

/** Grid of small grey images with captions (most / least confident MNIST digits with their VR). */
export function imageGridChart(input: ImageGridInput): TopLevelSpec {
  const p = validate(schema, input, 'imageGridChart') as ImageGridInput;
  const side = p.side ?? 28;
  const px = side * side;
  if (p.images.length % px !== 0 || p.images.length === 0)
    throw new Error(`imageGridChart: images: length ${p.images.length} is not a positive multiple of ${px}`);
  const k = p.images.length / px;
  if (p.captions.length !== k) throw new Error(`imageGridChart: captions: ${p.captions.length} captions for ${k} images`);
  if (p.labels && p.labels.length !== k) throw new Error(`imageGridChart: labels: ${p.labels.length} labels for ${k} images`);
  const columns = p.columns ?? Math.min(k, 8);
  const rows = Math.ceil(k / columns);
  const img = p.cellSize ?? 72;
  const lines = Math.max(1, ...p.captions.map((c) => c.split('\n').length)) + (p.labels ? 1 : 0);
  const capH = lines * 14 + 6;
  const cellW = img + 18;
  const cellH = img + capH + 10;
  const width = columns * cellW;
  const height = rows * cellH;
  const data = Array.from({ length: k }, (_, i) => {
    const c = i % columns;
    const r = Math.floor(i / columns);
    const pixels = Array.prototype.slice.call(p.images, i * px, (i + 1) * px) as number[];
    const caption = p.labels ? `label ${p.labels[i]}\n${p.captions[i]}` : p.captions[i];
    return {
      x: c * cellW + (cellW - img) / 2,
      x2: c * cellW + (cellW + img) / 2,
      y: r * cellH,
      y2: r * cellH + img,
      cx: c * cellW + cellW / 2,
      cy: r * cellH + img + 4,
      url: digitToPngUri(pixels, { side, invert: p.invert ?? true }),
      caption,
      flag: p.flagged?.[i] ? 'yes' : 'no',
    };
  });
  const x = { field: 'x', type: 'quantitative', axis: null, scale: { domain: [0, width], nice: false, zero: false } };
  const y = { field: 'y', type: 'quantitative', axis: null, scale: { domain: [0, height], reverse: true, nice: false, zero: false } };
  return topLevel(p.title, p.subtitle, {
    width,
    height,
    data: { values: data },
    view: { stroke: null },
    layer: [
      {
        mark: { type: 'image', aspect: false, aria: false },
        encoding: { x, y, x2: { field: 'x2' }, y2: { field: 'y2' }, url: { field: 'url', type: 'nominal' } },
      },
      {
        mark: { type: 'rect', fill: null, stroke: '#cfd4d8', strokeWidth: 1 },
        encoding: { x, y, x2: { field: 'x2' }, y2: { field: 'y2' } },
      },
      {
        mark: { type: 'text', baseline: 'top', align: 'center', lineBreak: '\n', fontSize: 11, lineHeight: 14 },
        encoding: {
          x: { ...x, field: 'cx' },
          y: { ...y, field: 'cy' },
          text: { field: 'caption' },
          color: { condition: { test: "datum.flag === 'yes'", value: FLAG_COLOR }, value: INK },
        },
      },
    ],
  });
}

/** imageGridChart rendered: SVG for the HTML report, PNG for files. */
export function imageGrid(input: ImageGridInput): Promise<RenderedChart> {
  return renderChart(imageGridChart(input));
}
