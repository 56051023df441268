import { z } from 'zod';

export interface DownsampledCurve {
  /** Indices into the original arrays, increasing; first and last point always kept. */
  indices: number[];
  x: number[];
  y: number[];
}

const maxPointsSchema = z.number().int().min(3);

/**
 * Thins a curve for plotting with Largest-Triangle-Three-Buckets (Steinarsson 2013): the points are
 * cut into maxPoints − 2 buckets in path order and each bucket keeps the point spanning the largest
 * triangle with its neighbours, so corners and steps survive while flat runs are thinned. End points
 * are kept. Use `indices` to pick matching thresholds. A curve already short enough comes back whole.
 *
 * @param x, y the curve in path order (e.g. recall/precision or fpr/tpr as returned by the curves).
 * @param maxPoints at most this many points are kept (≥ 3), default 500.
 */
export function downsampleCurve(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints = 500): DownsampledCurve {
  if (x.length !== y.length) throw new Error(`downsampleCurve: x has ${x.length} entries but y has ${y.length}`);
  if (!maxPointsSchema.safeParse(maxPoints).success) {
    throw new Error(`downsampleCurve: maxPoints must be an integer ≥ 3, got ${maxPoints}`);
  }
  const n = x.length;
  let indices: number[];
  if (n <= maxPoints) {
    indices = Array.from({ length: n }, (_, i) => i);
  } else {
    indices = [0];
    const buckets = maxPoints - 2;
    const size = (n - 2) / buckets;
    let a = 0; // last kept point
    for (let b = 0; b < buckets; b++) {
      const start = Math.floor(b * size) + 1;
      const end = Math.floor((b + 1) * size) + 1; // exclusive
      // Third vertex: mean of the next bucket (or the last point).
      const nextStart = end;
      const nextEnd = b === buckets - 1 ? n : Math.min(n, Math.floor((b + 2) * size) + 1);
      let cx = 0;
      let cy = 0;
      for (let k = nextStart; k < nextEnd; k++) {
        cx += x[k];
        cy += y[k];
      }
      const m = nextEnd - nextStart;
      cx /= m;
      cy /= m;
      let best = start;
      let bestArea = -1;
      for (let k = start; k < end; k++) {
        const area = Math.abs((x[a] - cx) * (y[k] - y[a]) - (x[a] - x[k]) * (cy - y[a]));
        if (area > bestArea) {
          bestArea = area;
          best = k;
        }
      }
      indices.push(best);
      a = best;
    }
    indices.push(n - 1);
  }
  return { indices, x: indices.map((i) => x[i]), y: indices.map((i) => y[i]) };
}
