/**
 * Binary predictive samples: S stochastic passes (posterior weight draws, dropout masks) each
 * giving p(y = 1 | xᵢ) for N points, stored pass-major as a Float64Array S×N
 * (`samples[s * N + i]`). Plain arrays, no TensorFlow.js.
 */

/** N for an S×N block, checking the length and that every value is a probability. */
export function binarySampleCount(samples: ArrayLike<number>, passes: number): number {
  if (!Number.isInteger(passes) || passes < 1) throw new Error(`passes must be a positive integer, got ${passes}`);
  if (samples.length % passes !== 0) {
    throw new Error(`samples has length ${samples.length}, not a multiple of passes = ${passes}`);
  }
  for (let k = 0; k < samples.length; k++) {
    const p = samples[k];
    if (!(p >= 0 && p <= 1)) throw new Error(`samples[${k}] = ${p} is not a probability in [0, 1]`);
  }
  return samples.length / passes;
}

/** Collect S passes of a stochastic predictor into one S×N array. */
export function collectBinarySamples(passes: number, pass: (s: number) => ArrayLike<number>): Float64Array {
  if (!Number.isInteger(passes) || passes < 1) throw new Error(`passes must be a positive integer, got ${passes}`);
  let out: Float64Array | undefined;
  let n = 0;
  for (let s = 0; s < passes; s++) {
    const row = pass(s);
    if (out === undefined) {
      n = row.length;
      out = new Float64Array(passes * n);
    } else if (row.length !== n) {
      throw new Error(`pass ${s} returned ${row.length} values, pass 0 returned ${n}`);
    }
    out.set(row, s * n);
  }
  return out as Float64Array;
}

/** Predictive mean p̄ᵢ = (1/S) Σₛ pₛᵢ — the Bayesian model average p(y = 1 | xᵢ, D). */
export function binaryPredictiveMean(samples: ArrayLike<number>, passes: number): Float64Array {
  const n = binarySampleCount(samples, passes);
  const mean = new Float64Array(n);
  for (let s = 0; s < passes; s++) for (let i = 0; i < n; i++) mean[i] += samples[s * n + i];
  for (let i = 0; i < n; i++) mean[i] /= passes;
  return mean;
}
