import { describe, expect, it } from 'vitest';
import { decisionMapChart, readLattice } from '../../src/charts/decision-map.js';
import { countMarks, linspace, renderOk } from './chart-checks.js';

describe('decision maps', () => {
  const R = 21;
  const coords = linspace(-3, 3, R);
  // Deliberately x2-fastest order: the lattice must be read from the coordinates.
  const gridX = new Float32Array(R * R * 2);
  const probs = new Float64Array(R * R);
  let k = 0;
  for (const a of coords) {
    for (const b of coords) {
      gridX[2 * k] = a;
      gridX[2 * k + 1] = b;
      probs[k] = 1 / (1 + Math.exp(-3 * a));
      k++;
    }
  }
  const entropy = probs.map((p) => -(p * Math.log(p) + (1 - p) * Math.log(1 - p)));

  it('reads a lattice in any order', () => {
    const lat = readLattice(gridX, 't');
    expect(lat.xs).toHaveLength(R);
    expect(gridX[2 * lat.index[3 * R + 5]]).toBeCloseTo(coords[5]);
    expect(gridX[2 * lat.index[3 * R + 5] + 1]).toBeCloseTo(coords[3]);
    expect(() => readLattice(gridX.subarray(0, gridX.length - 2), 't')).toThrow(/not a full regular lattice/);
  });

  it('renders panels side by side with boundary, points and legends', async () => {
    const n = 40;
    const x = Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? (i < n ? -2 : 2) : 0.5 * Math.sin(i)));
    const labels = Uint8Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
    const spec = decisionMapChart({
      panels: [
        { title: 'MAP', gridX, probs, resolution: R },
        { title: 'Laplace', gridX, probs, values: entropy, resolution: R },
      ],
      points: { x, labels },
      title: 'Maps test',
    });
    const r = await renderOk(spec, 'Maps test');
    expect(countMarks(r.svg, 'image')).toBe(2);
    expect(countMarks(r.svg, 'rule')).toBe(2 * (R - 1));
    expect(r.svg).toContain('p(y=1|x)');
    expect(r.svg).toContain('predictive entropy');
    expect(r.svg).toContain('class 1');
    expect(() => decisionMapChart({ panels: [{ title: 'a', gridX, probs: probs.subarray(1) }], points: { x, labels } })).toThrow(
      /panels\.0\.probs/,
    );
  });
});
