/** `n` evenly spaced points from `a` to `b` inclusive (numpy's linspace); n = 1 gives [a]. */
export function linspace(a: number, b: number, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new Error(`linspace: n must be a non-negative integer, got ${n}`);
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`linspace: bounds must be finite, got ${a}, ${b}`);
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = a;
    return out;
  }
  const step = (b - a) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = a + i * step;
  // Exact end point, so grids over [a, b] really end at b despite rounding.
  if (n > 1) out[n - 1] = b;
  return out;
}
