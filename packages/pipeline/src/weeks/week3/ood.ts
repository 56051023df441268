import { oodLabels, oodMetrics, type Score } from '@rdl/eval';
import { createMcp, mcDropoutHeadline } from '@rdl/uncertainty/pure';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { curveSchema, prCurve, roc } from './curves.js';
import { mcSummaryFromTable } from './mc-table.js';
import { odin } from './odin.js';
import { predict } from './predict.js';
import { matrixColumn, scoreColumn } from './tables.js';

const resultsSchema = z.object({
  nIn: z.number().int(),
  nOut: z.number().int(),
  odin: z.object({ temperature: z.number(), epsilon: z.number(), criterion: z.string(), value: z.number() }),
  methods: z.array(
    z.object({
      method: z.string(),
      score: z.string(),
      direction: z.string(),
      metrics: z.object({
        positive: z.literal('ood'),
        auprIn: z.number(),
        auprOut: z.number(),
        auroc: z.number(),
        fpr95: z.number(),
        nIn: z.number(),
        nOut: z.number(),
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
    'Week 3 III: OOD detection (OOD positive) on MNIST test vs the OOD test sample for MCP, MC dropout and ODIN: AUPR-In, AUPR-Out, AUROC, FPR@95%TPR, PR and ROC curves',
  module: import.meta.url,
  config: z.strictObject({ curvePoints: z.number().int().min(3).default(400) }),
  needs: { predict, odin },
  outputs: { results: artifact.json(resultsSchema) },
  async run({ config, inputs }) {
    const inTable = inputs.predict.test;
    const outTable = inputs.predict.ood;
    const mcp = createMcp();
    const mcpOf = (table: typeof inTable, what: string) => {
      const probs = matrixColumn(table, 'probs', what);
      return mcp.score({ probs: probs.values, numClasses: probs.width });
    };
    const methods: { method: string; inScore: Score; outScore: Score }[] = [
      { method: 'MCP', inScore: await mcpOf(inTable, 'predict test'), outScore: await mcpOf(outTable, 'predict ood') },
      {
        method: 'MC dropout',
        inScore: mcDropoutHeadline(mcSummaryFromTable(inTable, 'predict test'), 'ood'),
        outScore: mcDropoutHeadline(mcSummaryFromTable(outTable, 'predict ood'), 'ood'),
      },
      {
        method: 'ODIN',
        inScore: scoreColumn(inputs.odin.test, 'odin', 'odin test'),
        outScore: scoreColumn(inputs.odin.ood, 'odin', 'odin ood'),
      },
    ];
    const labels = oodLabels(inTable.numRows, outTable.numRows);
    const r = inputs.odin.result;
    return {
      results: {
        nIn: inTable.numRows,
        nOut: outTable.numRows,
        odin: { temperature: r.temperature, epsilon: r.epsilon, criterion: r.criterion, value: r.value },
        methods: methods.map((m) => {
          const all = joined(m.inScore, m.outScore);
          return {
            method: m.method,
            score: m.inScore.name,
            direction: m.inScore.direction,
            metrics: oodMetrics(m.inScore, m.outScore),
            pr: prCurve(all, labels, 'ood', config.curvePoints),
            roc: roc(all, labels, 'ood', config.curvePoints),
          };
        }),
      },
    };
  },
});
