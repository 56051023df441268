import { describe, expect, it } from 'vitest';
import { METHOD_COLORS } from '../../src/charts/theme.js';
import { curveChart, thinCurve } from '../../src/charts/curves.js';
import { countMarks, linspace, renderOk } from './chart-checks.js';

describe('curves', () => {
  it('thins dense curves but keeps both ends', () => {
    const x = linspace(0, 1, 10_001);
    const t = thinCurve(x, x, 0.002);
    expect(t.x.length).toBeLessThan(800);
    expect(t.x[0]).toBe(0);
    expect(t.x[t.x.length - 1]).toBe(1);
  });

  it('puts every method with its summary in the legend', async () => {
    const x = linspace(0, 1, 50);
    const spec = curveChart({
      curves: [
        { method: 'MCP', x, y: x.map((r) => 1 - 0.6 * r), summary: 'AUPR 35.1%' },
        { method: 'ConfidNet', x, y: x.map((r) => 1 - 0.4 * r), summary: 'AUPR 45.9%' },
      ],
      xTitle: 'recall',
      yTitle: 'precision',
      title: 'PR test',
      baseline: { label: 'error rate', value: 0.02 },
    });
    const r = await renderOk(spec, 'PR test');
    expect(r.svg).toContain('MCP — AUPR 35.1%');
    expect(r.svg).toContain('ConfidNet — AUPR 45.9%');
    expect(countMarks(r.svg, 'line')).toBe(2);
    expect(r.svg).toContain(METHOD_COLORS.ConfidNet);
  });
});
