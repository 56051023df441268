import { describe, expect, it } from 'vitest';
import { varianceChart } from '../../src/charts/variance.js';
import { countMarks, linspace, renderOk } from './chart-checks.js';

describe('regression and variance charts', () => {
  const xTest = linspace(-10, 10, 60);

  it('overlays an analytic variance dashed with markers and a 1/β rule', async () => {
    const v = xTest.map((x) => 1 + 0.04 + (x - 1) ** 2 / 4);
    const spec = varianceChart({
      xTest,
      variance: v,
      series: [{ name: 'analytic σ²', values: v }],
      trainRange: [0, 2],
      barycentre: 1,
      reference: { label: '1/β', value: 1 },
      title: 'Variance 1.5',
    });
    const r = await renderOk(spec, 'Variance 1.5');
    expect(countMarks(r.svg, 'line')).toBe(2);
    expect(r.svg).toContain('stroke-dasharray="6,4"');
    expect(r.svg).toContain('1/β = 1');
    expect(countMarks(r.svg, 'rule')).toBe(2); // barycentre + reference
  });
});
