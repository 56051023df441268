import type { BlrPosterior } from './posterior.js';

export interface DensityGridOptions {
  /** Range of the first weight (bias w0), SPEC 1.1: [−1, 1]. */
  w0: readonly [number, number];
  /** Range of the second weight (slope w1), SPEC 1.1: [−1, 1]. */
  w1: readonly [number, number];
  /** Points per axis (both ends included). */
  resolution: number;
}

export interface DensityGrid {
  w0: Float64Array;
  w1: Float64Array;
  /** resolution × resolution, row-major with w1 along rows: density[i1·resolution + i0] = p(w0[i0], w1[i1]). */
  density: Float64Array;
}

/**
 * The 2-D Gaussian posterior density N(w; μ, Σ) evaluated on a regular grid (question 1.1).
 * Uses the precision matrix directly, so it also draws the prior (N = 0).
 */
export function posteriorDensityGrid(posterior: BlrPosterior, options: DensityGridOptions): DensityGrid {
  if (posterior.featureCount !== 2) throw new Error(`posteriorDensityGrid: needs a 2-feature posterior, got ${posterior.featureCount}`);
  const { resolution } = options;
  if (!Number.isInteger(resolution) || resolution < 2)
    throw new Error(`posteriorDensityGrid: resolution must be an integer ≥ 2, got ${resolution}`);
  for (const key of ['w0', 'w1'] as const) {
    const [lo, hi] = options[key];
    if (!(hi > lo)) throw new Error(`posteriorDensityGrid: ${key} range must be [low, high] with high > low, got [${lo}, ${hi}]`);
  }
  const axis = ([lo, hi]: readonly [number, number]): Float64Array =>
    Float64Array.from({ length: resolution }, (_, i) => lo + ((hi - lo) * i) / (resolution - 1));
  const w0 = axis(options.w0);
  const w1 = axis(options.w1);
  const [a, b, , c] = posterior.precision; // symmetric [[a, b], [b, c]]
  const det = a * c - b * b;
  if (!(det > 0)) throw new Error('posteriorDensityGrid: the precision matrix is not positive definite');
  const norm = Math.sqrt(det) / (2 * Math.PI);
  const [m0, m1] = posterior.mean;
  const density = new Float64Array(resolution * resolution);
  for (let i1 = 0; i1 < resolution; i1++) {
    const d1 = w1[i1] - m1;
    for (let i0 = 0; i0 < resolution; i0++) {
      const d0 = w0[i0] - m0;
      density[i1 * resolution + i0] = norm * Math.exp(-0.5 * (a * d0 * d0 + 2 * b * d0 * d1 + c * d1 * d1));
    }
  }
  return { w0, w1, density };
}
