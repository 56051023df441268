import { oodMetrics } from '@rdl/eval';
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
 * Picks ODIN's (T, ε) on the tuning scores with the same OOD metrics the report uses. The best
 * point has the highest criterion; ties keep the first in grid order; NaN is never chosen. Only
 * the choice goes downstream, so an eval edit that keeps it leaves the test scoring cached.
 */
export const odinSelect = defineStage({
  name: 'odin-select',
  description: 'Week 3 III: choose ODIN T and ε on the held-out tuning scores (AUROC by default, OOD positive)',
  module: import.meta.url,
  config: z.strictObject({ criterion: z.enum(['auroc', 'fpr95']).default('auroc') }),
  needs: { odinGrid },
  outputs: { choice: artifact.json(odinChoiceSchema) },
  async run({ config, inputs, log }) {
    const table = inputs.odinGrid.scores;
    const T = table.getChild('T')!.toArray() as Float64Array;
    const eps = table.getChild('eps')!.toArray() as Float64Array;
    const isOod = table.getChild('isOod')!.toArray() as Uint8Array;
    const score = table.getChild('score')!.toArray() as Float32Array;
    const grid: OdinChoice['grid'] = [];
    for (const point of inputs.odinGrid.grid.points) {
      const inValues: number[] = [];
      const outValues: number[] = [];
      for (let i = 0; i < score.length; i++) {
        if (T[i] === point.T && eps[i] === point.eps) (isOod[i] ? outValues : inValues).push(score[i]!);
      }
      const m = oodMetrics(
        { name: 'odin', values: inValues, direction: 'higher-is-more-confident' },
        { name: 'odin', values: outValues, direction: 'higher-is-more-confident' },
      );
      grid.push({ ...point, value: config.criterion === 'auroc' ? m.auroc : -m.fpr95 });
    }
    let best: OdinChoice['grid'][number] | undefined;
    for (const point of grid) if (!Number.isNaN(point.value) && (best === undefined || point.value > best.value)) best = point;
    if (!best) throw new Error('odin-select: every grid point gave NaN');
    log(`chosen T = ${best.T}, ε = ${best.eps} (${config.criterion} ${best.value.toFixed(4)})`);
    return {
      choice: {
        temperature: best.T,
        epsilon: best.eps,
        criterion: config.criterion,
        value: best.value,
        grid,
        tuneIn: inputs.odinGrid.grid.tuneIn,
        tuneOut: inputs.odinGrid.grid.tuneOut,
      },
    };
  },
});
