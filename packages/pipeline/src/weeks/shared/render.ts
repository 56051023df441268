import { renderChart } from '@rdl/eval';
import type { Figure } from '../../core/artifacts.js';

type Spec = Parameters<typeof renderChart>[0];

/** Renders a chart spec to the SVG + PNG pair a figure artifact holds. */
export async function figure(spec: Spec): Promise<Figure> {
  const { svg, png } = await renderChart(spec);
  return { svg, png };
}
