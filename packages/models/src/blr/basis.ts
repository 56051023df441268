import { Matrix } from 'ml-matrix';

/** A fixed feature map φ: ℝ → ℝᴰ; `design(x)` stacks φ(xᵢ)ᵀ into the N×D design matrix Φ. */
export interface Basis {
  readonly name: string;
  /** D, the number of columns of Φ (and of weights). */
  readonly featureCount: number;
  design(x: ArrayLike<number>): Matrix;
}

function makeBasis(name: string, featureCount: number, features: (x: number, row: Float64Array) => void): Basis {
  return {
    name,
    featureCount,
    design(x) {
      const phi = new Matrix(x.length, featureCount);
      const row = new Float64Array(featureCount);
      for (let i = 0; i < x.length; i++) {
        features(x[i], row);
        for (let j = 0; j < featureCount; j++) phi.set(i, j, row[j]);
      }
      return phi;
    },
  };
}

/** φ(x) = (1, x): bias and slope, D = 2 (questions 1.1–1.5). */
export function linearBasis(): Basis {
  return makeBasis('linear', 2, (x, row) => {
    row[0] = 1;
    row[1] = x;
  });
}

/**
 * φ(x) = (x⁰, x¹, …, x^degree), so featureCount = degree + 1. Give exactly one of the two:
 * SPEC 2.4's "10 features x⁰..x⁹" is `{ featureCount: 10 }`, the same as `{ degree: 9 }`.
 */
export function polynomialBasis(spec: { degree: number } | { featureCount: number }): Basis {
  const featureCount = 'degree' in spec ? spec.degree + 1 : spec.featureCount;
  if ('degree' in spec && 'featureCount' in spec) throw new Error('polynomialBasis: give degree or featureCount, not both');
  if (!Number.isInteger(featureCount) || featureCount < 1) {
    throw new Error(`polynomialBasis: featureCount must be a positive integer (degree ≥ 0), got ${featureCount}`);
  }
  return makeBasis(`polynomial(x^0..x^${featureCount - 1})`, featureCount, (x, row) => {
    let power = 1;
    for (let j = 0; j < featureCount; j++) {
      row[j] = power;
      power *= x;
    }
  });
}

/**
 * φⱼ(x) = exp(−(x − μⱼ)²/(2s²)), one feature per centre and NO constant bias feature, as in the
 * course notebook (SPEC 2.5: centres linspace(0, 1, 9), s = 1/9). Without a bias every feature
 * vanishes far from the centres, which is why the predictive variance falls back to 1/β there.
 */
export function gaussianBasis(centres: ArrayLike<number>, s: number): Basis {
  if (centres.length < 1) throw new Error('gaussianBasis: needs at least one centre');
  if (!(s > 0) || !Number.isFinite(s)) throw new Error(`gaussianBasis: width s must be a positive number, got ${s}`);
  const mu = Float64Array.from(centres);
  if (mu.some((c) => !Number.isFinite(c))) throw new Error('gaussianBasis: centres must be finite numbers');
  const scale = 1 / (2 * s * s);
  return makeBasis(`gaussian(${mu.length} centres, s=${s})`, mu.length, (x, row) => {
    for (let j = 0; j < mu.length; j++) row[j] = Math.exp(-((x - mu[j]) ** 2) * scale);
  });
}
