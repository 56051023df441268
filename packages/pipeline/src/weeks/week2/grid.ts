import { z } from 'zod';

const range = z.tuple([z.number(), z.number()]).refine(([a, b]) => b > a, 'must be [low, high] with low < high');

/** A regular grid over the input plane on which decision and uncertainty maps are drawn. */
export const gridSpecSchema = z.object({ x0: range, x1: range, resolution: z.number().int().min(4).max(400) });
export type GridSpec = z.infer<typeof gridSpecSchema>;

/** Grid points as a row-major M×2 array, x0 varying fastest. */
export function gridPoints(spec: GridSpec): Float32Array {
  const { resolution: r } = spec;
  const out = new Float32Array(r * r * 2);
  for (let j = 0; j < r; j++) {
    const x1 = spec.x1[0] + ((spec.x1[1] - spec.x1[0]) * j) / (r - 1);
    for (let i = 0; i < r; i++) {
      const k = (j * r + i) * 2;
      out[k] = spec.x0[0] + ((spec.x0[1] - spec.x0[0]) * i) / (r - 1);
      out[k + 1] = x1;
    }
  }
  return out;
}
