import { z } from 'zod';

export interface NearFarInput {
  /** Row-major M×2 grid coordinates. */
  gridPoints: ArrayLike<number>;
  /** M values on the grid, e.g. predictive entropy. */
  gridValues: ArrayLike<number>;
  /** Row-major N×2 training inputs. */
  trainPoints: ArrayLike<number>;
  /** N values at the training inputs. */
  trainValues: ArrayLike<number>;
  /** A grid point is "far" when its Euclidean distance to the nearest training point is > this. */
  farDistance: number;
}

export interface NearFarResult {
  /** Mean value over the training points. */
  near: number;
  /** Mean value over the far grid points. */
  far: number;
  /** far / near: > 1 when uncertainty grows away from the data. Infinity if near = 0 < far. */
  ratio: number;
  /** Number of grid points counted as far. */
  farCount: number;
}

const farDistanceSchema = z.number().positive().finite();

function checkPoints(field: string, points: ArrayLike<number>, values: ArrayLike<number>, valuesField: string): number {
  if (points.length % 2 !== 0) throw new Error(`nearFarRatio: ${field} has ${points.length} entries, not an M×2 row-major array`);
  const m = points.length / 2;
  if (m === 0) throw new Error(`nearFarRatio: ${field} is empty`);
  if (values.length !== m) throw new Error(`nearFarRatio: ${valuesField} has ${values.length} entries but ${field} has ${m} points`);
  for (let i = 0; i < points.length; i++) {
    if (!Number.isFinite(points[i])) throw new Error(`nearFarRatio: ${field}[${i}] = ${points[i]} is not finite`);
  }
  for (let i = 0; i < m; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`nearFarRatio: ${valuesField}[${i}] = ${values[i]} is not finite`);
  }
  return m;
}

/**
 * SPEC week 2 "near vs far": mean of `gridValues` over grid points farther than `farDistance` from
 * every training point, divided by the mean of `trainValues` over the training points.
 * Brute-force nearest neighbour, O(M·N): a 100×100 grid against 1,000 points is ~10⁷ steps.
 */
export function nearFarRatio(input: NearFarInput): NearFarResult {
  const { gridPoints, gridValues, trainPoints, trainValues, farDistance } = input;
  if (!farDistanceSchema.safeParse(farDistance).success) {
    throw new Error(`nearFarRatio: farDistance must be a positive finite number, got ${farDistance}`);
  }
  const m = checkPoints('gridPoints', gridPoints, gridValues, 'gridValues');
  const n = checkPoints('trainPoints', trainPoints, trainValues, 'trainValues');
  const tx = Float64Array.from({ length: n }, (_, j) => trainPoints[2 * j]);
  const ty = Float64Array.from({ length: n }, (_, j) => trainPoints[2 * j + 1]);
  const far2 = farDistance * farDistance;

  let farSum = 0;
  let farCount = 0;
  for (let i = 0; i < m; i++) {
    const gx = gridPoints[2 * i];
    const gy = gridPoints[2 * i + 1];
    let isFar = true;
    for (let j = 0; j < n; j++) {
      const dx = gx - tx[j];
      const dy = gy - ty[j];
      if (dx * dx + dy * dy <= far2) {
        isFar = false;
        break;
      }
    }
    if (isFar) {
      farSum += gridValues[i];
      farCount++;
    }
  }
  if (farCount === 0) {
    throw new Error(
      `nearFarRatio: no grid point is farther than farDistance = ${farDistance} from the training points; widen the grid or lower farDistance`,
    );
  }
  let nearSum = 0;
  for (let j = 0; j < n; j++) nearSum += trainValues[j];
  const near = nearSum / n;
  const far = farSum / farCount;
  return { near, far, ratio: far / near, farCount };
}
