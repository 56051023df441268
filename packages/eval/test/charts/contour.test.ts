import { describe, expect, it } from 'vitest';
import { isoSegments } from '../../src/charts/contour.js';
import { readLattice } from '../../src/charts/decision-map.js';
import { linspace } from './chart-checks.js';

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

  it('finds the p = 0.5 boundary of a linear field', () => {
    const lat = readLattice(gridX, 't');
    const segs = isoSegments((ix, iy) => probs[lat.index[iy * R + ix]], lat.xs, lat.ys, 0.5);
    expect(segs).toHaveLength(R - 1);
    for (const s of segs) {
      expect(s.x).toBeCloseTo(0, 6);
      expect(s.x2).toBeCloseTo(0, 6);
    }
  });
});
