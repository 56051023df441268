import { createRng, parseOptions, permutation } from '@rdl/core';
import { z } from 'zod';

/** Images as raw bytes, row-major count × (height·width). */
export interface SyntheticOodImages {
  pixels: Uint8Array;
  count: number;
  /** 'noise' or 'permuted' per image, in order. */
  kinds: ('noise' | 'permuted')[];
}

const optionsSchema = z.strictObject({
  /** Images made; the first ⌈count·noiseShare⌉ are noise, the rest permuted digits. */
  count: z.number().int().min(1),
  noiseShare: z.number().min(0).max(1).default(0.5),
  seed: z.number().int(),
});
export type SyntheticOodOptions = z.input<typeof optionsSchema>;

/**
 * A synthetic OOD set for tuning ODIN without any real OOD data (Liang et al. 2018 tune on the OOD
 * set itself; Hsu et al. 2020, "Generalized ODIN", argue for tuning without it):
 * - uniform noise: every pixel uniform in 0..255;
 * - pixel-permuted digits: each source digit's pixels shuffled by its own random permutation,
 *   which keeps its ink histogram and destroys every stroke.
 * `digits` (count × pixelsPerImage bytes) are the in-distribution images to permute; they must
 * not be the in-distribution tuning images themselves. Seeded: same inputs ⇒ same bytes.
 */
export function syntheticOod(digits: Uint8Array, pixelsPerImage: number, options: SyntheticOodOptions): SyntheticOodImages {
  const { count, noiseShare, seed } = parseOptions(optionsSchema, options, 'syntheticOod');
  if (!Number.isInteger(pixelsPerImage) || pixelsPerImage < 1) {
    throw new Error(`syntheticOod: pixelsPerImage must be a positive integer, got ${pixelsPerImage}`);
  }
  const noise = Math.ceil(count * noiseShare);
  const permuted = count - noise;
  const available = Math.floor(digits.length / pixelsPerImage);
  if (digits.length % pixelsPerImage !== 0) {
    throw new Error(`syntheticOod: digits has ${digits.length} bytes, not a multiple of ${pixelsPerImage} per image`);
  }
  if (permuted > available) throw new Error(`syntheticOod: ${permuted} permuted digits asked for but only ${available} digits given`);
  const rng = createRng(seed);
  const pixels = new Uint8Array(count * pixelsPerImage);
  for (let i = 0; i < noise * pixelsPerImage; i++) pixels[i] = rng.int(256);
  for (let k = 0; k < permuted; k++) {
    const order = permutation(pixelsPerImage, rng);
    const source = k * pixelsPerImage;
    const target = (noise + k) * pixelsPerImage;
    for (let p = 0; p < pixelsPerImage; p++) pixels[target + p] = digits[source + order[p]!]!;
  }
  const kinds = [...Array<'noise'>(noise).fill('noise'), ...Array<'permuted'>(permuted).fill('permuted')];
  return { pixels, count, kinds };
}
