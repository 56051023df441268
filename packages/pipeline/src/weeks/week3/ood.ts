import { deriveSeed } from '@rdl/core';
import { oodLabels, oodMetricIntervals, oodMetrics, type Score } from '@rdl/eval';
import { createMcp, mcDropoutHeadline } from '@rdl/uncertainty/pure';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { curveSchema, prCurve, roc } from './curves.js';
import { mcSummaryFromTable } from './mc-table.js';
import { intervalSchema } from './intervals.js';
import type { ODIN_TUNING } from './odin-choice.js';
import { odin } from './odin.js';
import { odinOodFree } from './odin-ood-free.js';
import { predict } from './predict.js';
import { matrixColumn, scoreColumn } from './tables.js';

const odinChoiceSummary = z.object({ temperature: z.number(), epsilon: z.number(), criterion: z.string(), value: z.number() });

const resultsSchema = z.object({
  nIn: z.number().int(),
  nOut: z.number().int(),
  /** ODIN tuned on held-out OOD data (row 'ODIN'). */
  odin: odinChoiceSummary,
  /** ODIN tuned without real OOD data (row 'ODIN (OOD-free)'). */
  odinOodFree: odinChoiceSummary,
  bootstrap: z.object({ resamples: z.number().int(), level: z.number(), strata: z.string() }),
  methods: z.array(
    z.object({
      method: z.string(),
      score: z.string(),
      direction: z.string(),
      tuning: z.enum(['held-out-ood', 'ood-free']).nullable(),
      metrics: z.object({
        positive: z.literal('ood'),
        auprIn: z.number(),
        auprOut: z.number(),
        auroc: z.number(),
        fpr95: z.number(),
        fpr95In: z.number(),
        nIn: z.number(),
        nOut: z.number(),
      }),
      /** Percentile bootstrap intervals, MNIST test and OOD test images resampled each within its own sample. */
      intervals: z.object({
        auprIn: intervalSchema,
        auprOut: intervalSchema,
        auroc: intervalSchema,
        fpr95: intervalSchema,
        fpr95In: intervalSchema,
      }),
      /** Precision–recall with OOD positive: x = recall, y = precision. */
      pr: curveSchema,
      /** ROC with OOD positive: x = FPR, y = TPR. */
      roc: curveSchema,
    }),
  ),
});
export type OodResults = z.infer<typeof resultsSchema>;

/** The in-distribution and OOD scores of one method laid end to end (MNIST test first). */
function joined(inScore: Score, outScore: Score): Score {
  const values = new Float64Array(inScore.values.length + outScore.values.length);
  values.set(Float64Array.from(inScore.values));
  values.set(Float64Array.from(outScore.values), inScore.values.length);
  return { name: inScore.name, values, direction: inScore.direction };
}

export const ood = defineStage({
  name: 'ood',
  description:
    'Week 3 III: OOD detection on MNIST test vs the OOD test sample for MCP, MC dropout and ODIN tuned two ways (held-out OOD, OOD-free): AUPR-In, AUPR-Out, AUROC, FPR@95%TPR (OOD positive and in-distribution positive) with bootstrap intervals, PR and ROC curves',
  module: import.meta.url,
  config: z.strictObject({
    curvePoints: z.number().int().min(3).default(400),
    /** Bootstrap resamples for the 95% intervals. */
    resamples: z.number().int().min(2).default(1000),
  }),
  needs: { predict, odin, odinOodFree },
  outputs: { results: artifact.json(resultsSchema) },
  async run({ config, seed, inputs }) {
    const inTable = inputs.predict.test;
    const outTable = inputs.predict.ood;
    const mcp = createMcp();
    const mcpOf = (table: typeof inTable, what: string) => {
      const probs = matrixColumn(table, 'probs', what);
      return mcp.score({ probs: probs.values, numClasses: probs.width });
    };
    type Row = { method: string; tuning: keyof typeof ODIN_TUNING | null; inScore: Score; outScore: Score };
    const methods: Row[] = [
      { method: 'MCP', tuning: null, inScore: await mcpOf(inTable, 'predict test'), outScore: await mcpOf(outTable, 'predict ood') },
      {
        method: 'MC dropout',
        tuning: null,
        inScore: mcDropoutHeadline(mcSummaryFromTable(inTable, 'predict test'), 'ood'),
        outScore: mcDropoutHeadline(mcSummaryFromTable(outTable, 'predict ood'), 'ood'),
      },
      {
        method: 'ODIN',
        tuning: 'held-out-ood',
        inScore: scoreColumn(inputs.odin.test, 'odin', 'odin test'),
        outScore: scoreColumn(inputs.odin.ood, 'odin', 'odin ood'),
      },
      {
        method: 'ODIN (OOD-free)',
        tuning: 'ood-free',
        inScore: scoreColumn(inputs.odinOodFree.test, 'odin', 'odin-ood-free test'),
        outScore: scoreColumn(inputs.odinOodFree.ood, 'odin', 'odin-ood-free ood'),
      },
    ];
    const labels = oodLabels(inTable.numRows, outTable.numRows);
    const choice = ({ temperature, epsilon, criterion, value }: z.infer<typeof odinChoiceSummary>) => ({
      temperature,
      epsilon,
      criterion,
      value,
    });
    // One seed for every method: the same resamples, so the rows' intervals are paired.
    const bootstrap = { resamples: config.resamples, seed: deriveSeed(seed, 'week3/ood/bootstrap') };
    return {
      results: {
        nIn: inTable.numRows,
        nOut: outTable.numRows,
        odin: choice(inputs.odin.result),
        odinOodFree: choice(inputs.odinOodFree.result),
        bootstrap: {
          resamples: config.resamples,
          level: 0.95,
          strata: 'MNIST test and OOD test images resampled each within its own sample',
        },
        methods: methods.map((m) => {
          const all = joined(m.inScore, m.outScore);
          return {
            method: m.method,
            score: m.inScore.name,
            direction: m.inScore.direction,
            tuning: m.tuning,
            metrics: oodMetrics(m.inScore, m.outScore),
            intervals: oodMetricIntervals(m.inScore, m.outScore, bootstrap),
            pr: prCurve(all, labels, 'ood', config.curvePoints),
            roc: roc(all, labels, 'ood', config.curvePoints),
          };
        }),
      },
    };
  },
});
