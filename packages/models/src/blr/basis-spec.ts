import { z } from 'zod';
import { gaussianBasis, linearBasis, polynomialBasis, type Basis } from './basis.js';

/** A basis as plain config data, so a pipeline stage can validate and hash it. */
export const basisSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('linear') }),
  /** featureCount columns x⁰..x^(featureCount−1); SPEC 2.4 default 10. */
  z.object({ kind: z.literal('polynomial'), featureCount: z.number().int().min(1).default(10) }),
  /** Gaussians only (no bias): `count` centres linspace(low, high, count), width s; SPEC 2.5 defaults. */
  z.object({
    kind: z.literal('gaussian'),
    count: z.number().int().min(1).default(9),
    low: z.number().default(0),
    high: z.number().default(1),
    s: z
      .number()
      .positive()
      .default(1 / 9),
  }),
]);
export type BasisSpec = z.output<typeof basisSpecSchema>;
export type BasisSpecInput = z.input<typeof basisSpecSchema>;

export function createBasis(spec: BasisSpecInput): Basis {
  const parsed = basisSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`basis: ${issue?.path.map(String).join('.') || 'kind'}: ${issue?.message}`);
  }
  const p = parsed.data;
  switch (p.kind) {
    case 'linear':
      return linearBasis();
    case 'polynomial':
      return polynomialBasis({ featureCount: p.featureCount });
    case 'gaussian': {
      const step = p.count === 1 ? 0 : (p.high - p.low) / (p.count - 1);
      return gaussianBasis(
        Array.from({ length: p.count }, (_, j) => p.low + j * step),
        p.s,
      );
    }
  }
}
