import { oodMetrics } from '@rdl/eval';
import type { OdinParams } from '@rdl/uncertainty';
import { gridPoints, gridSearch } from '@rdl/uncertainty/pure';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import type { OdinGrid } from './odin-scoring.js';

// ODIN's choice of (T, ε), shared by both tunings (outside the stage modules: see odin-scoring.ts).

/** How an ODIN row's (T, ε) was chosen; null for methods without a tuned hyper-parameter. */
export const ODIN_TUNING = {
  'held-out-ood':
    'tuned on a held-out part of the OOD set itself (as the ODIN paper; optimistic: the tuning data come from the test distribution)',
  'ood-free': 'tuned on MNIST validation vs synthetic OOD images (uniform noise, pixel-permuted digits): no real OOD data',
} as const;

export const odinChoiceSchema = z.object({
  temperature: z.number(),
  epsilon: z.number(),
  criterion: z.enum(['auroc', 'fpr95']),
  /** Criterion at the chosen point (AUROC, or −FPR95), on the tuning data. */
  value: z.number(),
  grid: z.array(z.object({ T: z.number(), eps: z.number(), value: z.number() })),
  tuneIn: z.number().int(),
  tuneOut: z.number().int(),
});
export type OdinChoice = z.infer<typeof odinChoiceSchema>;

/**
 * Picks ODIN's (T, ε) on tuning scores laid out as `scoreOdinGrid` writes them, with the one grid
 * search and the same OOD metrics the report uses (highest criterion; ties keep the first point;
 * NaN is never chosen).
 */
export async function chooseOdin(scores: Table, grid: OdinGrid, criterion: 'auroc' | 'fpr95', what: string): Promise<OdinChoice> {
  const { space, score: stated, tuneIn, tuneOut } = grid;
  const score = scores.getChild('score')!.toArray() as Float32Array;
  const T = scores.getChild('T')!.toArray() as Float64Array;
  const eps = scores.getChild('eps')!.toArray() as Float64Array;
  // odin-grid wrote each point's tuneIn rows then its tuneOut rows, points in grid order.
  const perPoint = tuneIn + tuneOut;
  const points = gridPoints<OdinParams>(space);
  const result = await gridSearch<OdinParams>(space, (p) => {
    const start = points.findIndex((q) => q.temperature === p.temperature && q.epsilon === p.epsilon) * perPoint;
    if (T[start] !== p.temperature || eps[start] !== p.epsilon)
      throw new Error(`${what}: the grid scores are not in grid order at T = ${p.temperature}, ε = ${p.epsilon}`);
    const m = oodMetrics(
      { ...stated, values: score.subarray(start, start + tuneIn) },
      { ...stated, values: score.subarray(start + tuneIn, start + perPoint) },
    );
    return criterion === 'auroc' ? m.auroc : -m.fpr95;
  });
  return {
    temperature: result.best.temperature,
    epsilon: result.best.epsilon,
    criterion,
    value: result.value,
    grid: result.table.map(({ params, value }) => ({ T: params.temperature, eps: params.epsilon, value })),
    tuneIn,
    tuneOut,
  };
}
