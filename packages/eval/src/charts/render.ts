import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { RASTER_FONT } from './theme.js';
import { installTextWidthEstimate } from './text-width.js';

export interface RenderOptions {
  /** PNG pixels per SVG pixel (default 2, crisp on high-density screens and in print). */
  scale?: number;
  /** Font family resvg uses when a text's own family list has no installed font. */
  fallbackFont?: string;
  /** Extra font files for resvg (for machines without DejaVu or any system font). */
  fontFiles?: string[];
}

export interface RenderedChart {
  svg: string;
  png: Uint8Array;
  /** SVG size in CSS pixels (the PNG is `scale` times larger). */
  width: number;
  height: number;
}

type VegaWithMetrics = typeof vega & { textMetrics?: Parameters<typeof installTextWidthEstimate>[0] };

/** vega-lite spec → vega SVG string, headless (no DOM, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  installTextWidthEstimate((vega as VegaWithMetrics).textMetrics);
  // vega-lite warns about benign legend merges; keep the pipeline's console clean.
  const quiet = {
    level: () => quiet,
    error: (...m: unknown[]) => {
      throw new Error(m.map(String).join(' '));
    },
    warn: () => quiet,
    info: () => quiet,
    debug: () => quiet,
  };
  const vgSpec = compile(spec, { logger: quiet as never }).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logLevel: vega.Error });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

const GEOMETRY_ATTR = /(\s(?:d|transform|x|y|x1|x2|y1|y2|width|height|points)=")([^"]*)"/g;

/**
 * Round geometry to 0.01 px: vega writes 14 decimals per coordinate, which doubles the size of
 * scatter-heavy figures for no visible gain. Text content is never touched.
 */
export function compactSvg(svg: string): string {
  return svg.replace(GEOMETRY_ATTR, (_m, head: string, value: string) => {
    const v = value.replace(/-?\d*\.\d{3,}(?:e-?\d+)?/g, (num) => {
      const r = Math.round(Number(num) * 100) / 100;
      return Object.is(r, -0) ? '0' : String(r);
    });
    return `${head}${v}"`;
  });
}

/** SVG string → PNG bytes via resvg (system fonts, DejaVu Sans as the fallback family). */
export function svgToPng(svg: string, options: RenderOptions = {}): { png: Uint8Array; width: number; height: number } {
  const scale = options.scale ?? 2;
  const fallback = options.fallbackFont ?? RASTER_FONT;
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: {
      loadSystemFonts: true,
      fontFiles: options.fontFiles ?? [],
      defaultFontFamily: fallback,
      sansSerifFamily: fallback,
    },
  });
  const width = resvg.width;
  const height = resvg.height;
  const png = new Uint8Array(resvg.render().asPng());
  return { png, width, height };
}

/** Render a vega-lite spec to SVG (for HTML) and PNG (for files and Markdown). */
export async function renderChart(spec: TopLevelSpec, options: RenderOptions = {}): Promise<RenderedChart> {
  const svg = await renderSvg(spec);
  const { png, width, height } = svgToPng(svg, options);
  return { svg, png, width, height };
}
