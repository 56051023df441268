/** Noise-free targets: the truth curves that test grids are scored against and figures draw. */

/** y = w0 + w1·x for every x. */
export function lineTargets(x: Float64Array, w0: number, w1: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = w0 + w1 * x[i];
  return y;
}

/** y = sin(2πx) + x for every x (the course's sinusoid of questions 2.4 and 2.5). */
export function sinusoidTargets(x: Float64Array): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = Math.sin(2 * Math.PI * x[i]) + x[i];
  return y;
}
