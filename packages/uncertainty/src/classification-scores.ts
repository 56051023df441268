/**
 * Multi-class uncertainty scores on plain probability arrays, no TensorFlow.js.
 *
 * Layouts (row-major, float32): probabilities are N×C (`probs[i * C + c]`); Monte Carlo samples
 * are T×N×C (`samples[(t * N + i) * C + c]`), i.e. pass-major, which is how stochastic passes are
 * produced. Entropies are in nats. Sums run in float64 so T = 100 passes lose nothing to rounding.
 */
import { argmaxRow, argmaxRows as coreArgmaxRows } from '@rdl/core';

/** Shape of a T×N×C block of stochastic-pass probabilities. */
export interface SampleShape {
  /** T, the number of stochastic passes. */
  passes: number;
  /** C, the number of classes. */
  numClasses: number;
}

function checkPositiveInt(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${field} must be a positive integer, got ${value}`);
}

/** N for an N×C array, checking that the length is a multiple of C. */
export function rowCount(values: ArrayLike<number>, numClasses: number, field = 'probs'): number {
  checkPositiveInt(numClasses, 'numClasses');
  if (values.length % numClasses !== 0) {
    throw new Error(`${field} has length ${values.length}, not a multiple of numClasses = ${numClasses}`);
  }
  return values.length / numClasses;
}

/** N for a T×N×C array, checking that the length is a multiple of T·C. */
export function sampleCount(samples: ArrayLike<number>, shape: SampleShape, field = 'samples'): number {
  checkPositiveInt(shape.passes, 'passes');
  checkPositiveInt(shape.numClasses, 'numClasses');
  const perSample = shape.passes * shape.numClasses;
  if (samples.length % perSample !== 0) {
    throw new Error(`${field} has length ${samples.length}, not a multiple of passes × numClasses = ${perSample}`);
  }
  return samples.length / perSample;
}

/** −Σ p log p of one row, with 0·log 0 = 0 (and non-positive entries ignored). */
function rowEntropy(probs: ArrayLike<number>, offset: number, numClasses: number): number {
  let h = 0;
  for (let c = 0; c < numClasses; c++) {
    const p = probs[offset + c];
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

/** Predicted class (argmax) per row of an N×C array; ties go to the lowest class. */
export function argmaxRows(probs: ArrayLike<number>, numClasses: number): Int32Array {
  rowCount(probs, numClasses);
  return coreArgmaxRows(probs, numClasses);
}

/** MCP / MSP: the largest class probability per row. Higher = more confident. */
export function maxSoftmaxProbability(probs: ArrayLike<number>, numClasses: number): Float32Array {
  const n = rowCount(probs, numClasses);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let c = 0; c < numClasses; c++) m = Math.max(m, probs[i * numClasses + c]);
    out[i] = m;
  }
  return out;
}

/**
 * Entropy H[p] per row (nats); applied to MC-averaged probabilities this is the predictive
 * entropy. Higher = more uncertain; the maximum, log C, is reached by the uniform distribution.
 */
export function predictiveEntropy(meanProbs: ArrayLike<number>, numClasses: number): Float32Array {
  const n = rowCount(meanProbs, numClasses, 'meanProbs');
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rowEntropy(meanProbs, i * numClasses, numClasses);
  return out;
}

/** Mean over the T passes: T×N×C → N×C. */
export function meanProbabilities(samples: ArrayLike<number>, shape: SampleShape): Float32Array {
  const n = sampleCount(samples, shape);
  const { passes, numClasses } = shape;
  const rowLength = n * numClasses;
  const sums = new Float64Array(rowLength);
  for (let t = 0; t < passes; t++) {
    const base = t * rowLength;
    for (let k = 0; k < rowLength; k++) sums[k] += samples[base + k];
  }
  const out = new Float32Array(rowLength);
  for (let k = 0; k < rowLength; k++) out[k] = sums[k] / passes;
  return out;
}

/** How many of the T passes voted (argmax) for each class: N×C counts. */
export function voteCounts(samples: ArrayLike<number>, shape: SampleShape): Int32Array {
  const n = sampleCount(samples, shape);
  const { passes, numClasses } = shape;
  const counts = new Int32Array(n * numClasses);
  for (let t = 0; t < passes; t++) {
    for (let i = 0; i < n; i++) {
      const vote = argmaxRow(samples, (t * n + i) * numClasses, numClasses);
      counts[i * numClasses + vote]++;
    }
  }
  return counts;
}

/**
 * Variation ratio 1 − (count of the modal vote)/T, from the argmax of each pass. 0 when every
 * pass agrees; at most 1 − 1/C. Higher = more uncertain.
 */
export function variationRatio(samples: ArrayLike<number>, shape: SampleShape): Float32Array {
  return variationRatioFromVotes(voteCounts(samples, shape), shape);
}

/** Variation ratio from N×C vote counts already computed by `voteCounts`. */
export function variationRatioFromVotes(counts: Int32Array, shape: SampleShape): Float32Array {
  const { passes, numClasses } = shape;
  const n = rowCount(counts, numClasses, 'counts');
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let mode = 0;
    for (let c = 0; c < numClasses; c++) mode = Math.max(mode, counts[i * numClasses + c]);
    out[i] = 1 - mode / passes;
  }
  return out;
}

/** Expected entropy E_t[H[p_t]] (the aleatoric part). Higher = more uncertain. */
export function expectedEntropy(samples: ArrayLike<number>, shape: SampleShape): Float32Array {
  const n = sampleCount(samples, shape);
  const { passes, numClasses } = shape;
  const sums = new Float64Array(n);
  for (let t = 0; t < passes; t++) {
    for (let i = 0; i < n; i++) sums[i] += rowEntropy(samples, (t * n + i) * numClasses, numClasses);
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = sums[i] / passes;
  return out;
}

/**
 * Mutual information (BALD) H[E_t p_t] − E_t H[p_t] (the epistemic part), in nats. Zero when all
 * passes agree exactly; clamped at 0 against float rounding. Higher = more uncertain.
 */
export function mutualInformation(samples: ArrayLike<number>, shape: SampleShape): Float32Array {
  const n = sampleCount(samples, shape);
  const { passes, numClasses } = shape;
  const rowLength = n * numClasses;
  const mean = new Float64Array(rowLength);
  const meanEntropy = new Float64Array(n);
  for (let t = 0; t < passes; t++) {
    const base = t * rowLength;
    for (let k = 0; k < rowLength; k++) mean[k] += samples[base + k] / passes;
    for (let i = 0; i < n; i++) meanEntropy[i] += rowEntropy(samples, base + i * numClasses, numClasses) / passes;
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const mi = rowEntropy(mean, i * numClasses, numClasses) - meanEntropy[i];
    out[i] = mi > 0 ? mi : 0;
  }
  return out;
}
