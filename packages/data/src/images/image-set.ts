/**
 * A set of greyscale images with integer class labels, stored flat: image i occupies
 * `pixels[i * height * width, (i + 1) * height * width)`, row-major, 0–255.
 */
export interface ImageSet {
  name: string;
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

/** Throws one message naming `what` when the fields of an image set disagree. */
export function assertImageSet(set: ImageSet, what: string = set.name): void {
  const { count, height, width } = set;
  for (const [field, value] of [
    ['count', count],
    ['height', height],
    ['width', width],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`${what}: ${field} must be a non-negative integer, got ${value}`);
  }
  if (set.labels.length !== count) throw new Error(`${what}: ${set.labels.length} labels for ${count} images`);
  if (set.pixels.length !== count * height * width) {
    throw new Error(`${what}: pixels has ${set.pixels.length} bytes, expected ${count}×${height}×${width} = ${count * height * width}`);
  }
}

/** Label histogram: entry c counts class c (length `numClasses`, longer if a larger label occurs). */
export function labelCounts(set: Pick<ImageSet, 'labels'>, numClasses = 10): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of set.labels) {
    while (counts.length <= label) counts.push(0);
    counts[label] += 1;
  }
  return counts;
}

/**
 * Copies the images at `indices` (in that order) into a new set. Indices are checked, so a stale
 * index list fails loudly instead of reading the wrong image.
 */
export function subset(set: ImageSet, indices: ArrayLike<number>, name: string = set.name): ImageSet {
  const size = set.height * set.width;
  const pixels = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= set.count) {
      throw new Error(`subset of ${set.name}: index ${i} at position ${k} is outside 0..${set.count - 1}`);
    }
    pixels.set(set.pixels.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = set.labels[i];
  }
  return { name, pixels, labels, count: indices.length, height: set.height, width: set.width };
}
