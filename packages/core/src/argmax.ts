/**
 * Argmax over rows of a row-major N×width array. Ties go to the lowest index (as numpy and torch),
 * and a NaN never wins over an earlier entry, so every package predicts the same class.
 */

/** Index (0-based, within the row) of the largest of `values[offset .. offset + width)`. */
export function argmaxRow(values: ArrayLike<number>, offset: number, width: number): number {
  let best = 0;
  let bestValue = values[offset];
  for (let c = 1; c < width; c++) {
    if (values[offset + c] > bestValue) {
      bestValue = values[offset + c];
      best = c;
    }
  }
  return best;
}

/** The argmax of every row; throws when the length is not a multiple of `width`. */
export function argmaxRows(values: ArrayLike<number>, width: number): Int32Array {
  if (!Number.isInteger(width) || width < 1) throw new Error(`argmaxRows: width must be a positive integer, got ${width}`);
  if (values.length % width !== 0) throw new Error(`argmaxRows: length ${values.length} is not a multiple of width ${width}`);
  const n = values.length / width;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = argmaxRow(values, i * width, width);
  return out;
}
