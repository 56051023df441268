import { oodMetrics } from '@rdl/eval';
import type { OdinParams } from '@rdl/uncertainty';
import { gridPoints, gridSearch } from '@rdl/uncertainty/pure';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { odinGrid } from './odin-grid.js';

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
 * Picks ODIN's (T, ε) on the tuning scores with the one grid search and the same OOD metrics the
 * report uses (highest criterion; ties keep the first point; NaN is never chosen). Only the choice
 * goes downstream, so an eval edit that keeps it leaves the test scoring cached.
 */
export const odinSelect = defineStage({
  name: 'odin-select',
  description: 'Week 3 III: choose ODIN T and ε on the held-out tuning scores (AUROC by default, OOD positive)',
  module: import.meta.url,
  config: z.strictObject({ criterion: z.enum(['auroc', 'fpr95']).default('auroc') }),
  needs: { odinGrid },
  outputs: { choice: artifact.json(odinChoiceSchema) },
  async run({ config, inputs, log }) {
    const { space, score: stated, tuneIn, tuneOut } = inputs.odinGrid.grid;
    const score = inputs.odinGrid.scores.getChild('score')!.toArray() as Float32Array;
    const T = inputs.odinGrid.scores.getChild('T')!.toArray() as Float64Array;
    const eps = inputs.odinGrid.scores.getChild('eps')!.toArray() as Float64Array;
    // odin-grid wrote each point's tuneIn rows then its tuneOut rows, points in grid order.
    const perPoint = tuneIn + tuneOut;
    const points = gridPoints<OdinParams>(space);
    const result = await gridSearch<OdinParams>(space, (p) => {
      const start = points.findIndex((q) => q.temperature === p.temperature && q.epsilon === p.epsilon) * perPoint;
      if (T[start] !== p.temperature || eps[start] !== p.epsilon)
        throw new Error(`odin-select: the grid scores are not in grid order at T = ${p.temperature}, ε = ${p.epsilon}`);
      const m = oodMetrics(
        { ...stated, values: score.subarray(start, start + tuneIn) },
        { ...stated, values: score.subarray(start + tuneIn, start + perPoint) },
      );
      return config.criterion === 'auroc' ? m.auroc : -m.fpr95;
    });
    log(`chosen T = ${result.best.temperature}, ε = ${result.best.epsilon} (${config.criterion} ${result.value.toFixed(4)})`);
    return {
      choice: {
        temperature: result.best.temperature,
        epsilon: result.best.epsilon,
        criterion: config.criterion,
        value: result.value,
        grid: result.table.map(({ params, value }) => ({ T: params.temperature, eps: params.epsilon, value })),
        tuneIn,
        tuneOut,
      },
    };
  },
});
