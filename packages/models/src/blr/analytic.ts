/**
 * SPEC 1.5: with the linear basis and a flat prior (α = 0) the predictive variance has the
 * closed form σ²(x*) = 1/β · (1 + 1/N + (x* − x̄)² / Σᵢ(xᵢ − x̄)²), minimal at the barycentre x̄.
 */
export function analyticLinearPredictiveVariance(xTrain: ArrayLike<number>, xStar: ArrayLike<number>, beta = 1): Float64Array {
  const n = xTrain.length;
  if (n < 2) throw new Error(`analyticLinearPredictiveVariance: needs at least 2 training points, got ${n}`);
  if (!(beta > 0)) throw new Error(`analyticLinearPredictiveVariance: beta must be positive, got ${beta}`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xTrain[i];
  mean /= n;
  let spread = 0;
  for (let i = 0; i < n; i++) spread += (xTrain[i] - mean) ** 2;
  if (!(spread > 0)) throw new Error('analyticLinearPredictiveVariance: all training x are equal, the slope is undetermined');
  return Float64Array.from(xStar, (x) => (1 + 1 / n + (x - mean) ** 2 / spread) / beta);
}
