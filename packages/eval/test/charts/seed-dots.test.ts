import { describe, expect, it } from 'vitest';
import { seedDotsChart } from '../../src/charts/seed-dots.js';
import { countMarks, renderOk } from './chart-checks.js';

describe('seedDotsChart', () => {
  const values = (xs: number[]) => xs.map((value, seed) => ({ seed, value }));
  it('draws a dot per seed and a mean tick with an sd bar per method and metric', async () => {
    const r = await renderOk(
      seedDotsChart({
        title: 'Seeds test',
        columns: 1,
        series: [
          { metric: 'AUPR-Error', method: 'MCP', values: values([40, 45, 50]), mean: 45, sd: 5 },
          { metric: 'AUPR-Error', method: 'ConfidNet', values: values([30, 35, 40]), mean: 35, sd: 5 },
          { metric: 'OOD AUROC', method: 'ODIN', values: values([90, 95, 97]), mean: 94, sd: null },
          { metric: 'Δ AUPR-Error', method: 'ConfidNet − MCP', values: values([-10, -10, 0]), mean: -20 / 3, sd: 5.77, reference: 0 },
        ],
      }),
      'Seeds test',
    );
    expect(countMarks(r.svg, 'symbol')).toBe(12);
    expect(countMarks(r.svg, 'rule', 'layer_1')).toBe(4); // sd bars
    expect(r.svg.match(/<line [^>]*stroke-dasharray="5,4"/g)).toHaveLength(1); // the zero line of the Δ panel only
    expect(r.svg).toContain('OOD AUROC');
  });

  it('rejects a non-finite value, naming the field', () => {
    expect(() =>
      seedDotsChart({ title: 't', series: [{ metric: 'm', method: 'x', values: [{ seed: 0, value: Number.NaN }], mean: 0, sd: null }] }),
    ).toThrow(/seedDotsChart: series\.0\.values\.0\.value/);
  });
});
