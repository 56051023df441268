import { describe, expect, it } from 'vitest';
import { posteriorGridChart } from '../../src/charts/posterior.js';
import { countMarks, renderOk } from './chart-checks.js';

describe('posterior grid', () => {
  it('draws one raster per panel and the true weights', async () => {
    const R = 12;
    const panels = [0, 5].map((N) => ({
      title: `N = ${N}`,
      density: Float64Array.from({ length: R * R }, (_, k) => Math.exp(-(((k % R) - 5) ** 2) / (N + 2) - (Math.floor(k / R) - 6) ** 2 / 4)),
      resolution: R,
      w0Range: [-1, 1] as [number, number],
      w1Range: [-1, 1] as [number, number],
    }));
    const r = await renderOk(posteriorGridChart({ panels, truth: { w0: -0.3, w1: 0.5 }, title: 'Posterior test' }), 'Posterior test');
    expect(countMarks(r.svg, 'image')).toBe(2);
    expect(r.svg).toContain('N = 5');
    expect(r.svg).toContain('w₀');
    expect(() => posteriorGridChart({ panels: [{ ...panels[0], resolution: 11 }], truth: { w0: 0, w1: 0 } })).toThrow(
      /panels\.0\.density: density length must be resolution²/,
    );
  });
});
