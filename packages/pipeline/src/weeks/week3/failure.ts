import { accuracy, expectedCalibrationError, failureLabels, failureMetrics, negativeLogLikelihood } from '@rdl/eval';
import { createMcp, mcDropoutHeadline } from '@rdl/uncertainty/pure';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { curveSchema, prCurve, summarize, summarySchema } from './curves.js';
import { mcSummaryFromTable } from './mc-table.js';
import { predict } from './predict.js';
import { intColumn, matrixColumn, scoreColumn } from './tables.js';
import { trainConfidNetStage } from './train-confidnet.js';

const metricsSchema = z.object({
  positive: z.literal('error'),
  auprError: z.number(),
  auprSuccess: z.number(),
  auroc: z.number(),
  fpr95: z.number(),
  errors: z.number(),
  n: z.number(),
});

const resultsSchema = z.object({
  n: z.number().int(),
  passes: z.number().int(),
  accuracy: z.object({ deterministic: z.number(), mcDropout: z.number() }),
  ece: z.object({ deterministic: z.number(), mcDropout: z.number() }),
  nll: z.object({ deterministic: z.number(), mcDropout: z.number() }),
  eceBins: z.number().int(),
  /** MC-dropout variation ratio of correctly / wrongly classified test images (MC-dropout prediction). */
  variationRatio: z.object({ correct: summarySchema, wrong: summarySchema }),
  methods: z.array(
    z.object({
      method: z.string(),
      score: z.string(),
      direction: z.string(),
      predictions: z.enum(['deterministic', 'mc-dropout']),
      metrics: metricsSchema,
      /** Precision–recall with errors positive: x = recall, y = precision. */
      pr: curveSchema,
    }),
  ),
});
export type FailureResults = z.infer<typeof resultsSchema>;

export const failure = defineStage({
  name: 'failure',
  description:
    'Week 3 I–II: test accuracy, ECE, NLL; failure prediction (errors positive) for MCP, MC dropout and ConfidNet: AUPR-Error, AUPR-Success, AUROC, FPR@95%TPR and PR curves',
  module: import.meta.url,
  config: z.strictObject({ eceBins: z.number().int().min(1).default(15), curvePoints: z.number().int().min(3).default(400) }),
  needs: { predict, trainConfidNet: trainConfidNetStage },
  outputs: { results: artifact.json(resultsSchema) },
  async run({ config, inputs }) {
    const table = inputs.predict.test;
    const labels = intColumn(table, 'label', 'predict test');
    const predicted = intColumn(table, 'predicted', 'predict test');
    const { values: probs, width: numClasses } = matrixColumn(table, 'probs', 'predict test');
    const mc = mcSummaryFromTable(table, 'predict test');
    const confidnet = scoreColumn(inputs.trainConfidNet.scores, 'confidnet', 'confidnet scores');
    // MCP and ConfidNet judge the deterministic network's predictions; MC dropout judges its own
    // (argmax of the mean over T passes), which is what a user of MC dropout would predict.
    const methods = [
      { method: 'MCP', score: await createMcp().score({ probs, numClasses }), predictions: 'deterministic' as const, predicted },
      { method: 'MC dropout', score: mcDropoutHeadline(mc, 'failure'), predictions: 'mc-dropout' as const, predicted: mc.predicted },
      { method: 'ConfidNet', score: confidnet, predictions: 'deterministic' as const, predicted },
    ];
    const mcCorrect: number[] = [];
    const mcWrong: number[] = [];
    mc.scores.variationRatio.values.forEach((v, i) => (mc.predicted[i] === labels[i] ? mcCorrect : mcWrong).push(v));
    return {
      results: {
        n: labels.length,
        passes: mc.passes,
        accuracy: { deterministic: accuracy(predicted, labels), mcDropout: accuracy(mc.predicted, labels) },
        ece: {
          deterministic: expectedCalibrationError(probs, labels, config.eceBins),
          mcDropout: expectedCalibrationError(mc.meanProbs, labels, config.eceBins),
        },
        nll: { deterministic: negativeLogLikelihood(probs, labels), mcDropout: negativeLogLikelihood(mc.meanProbs, labels) },
        eceBins: config.eceBins,
        variationRatio: { correct: summarize(mcCorrect), wrong: summarize(mcWrong) },
        methods: methods.map((m) => ({
          method: m.method,
          score: m.score.name,
          direction: m.score.direction,
          predictions: m.predictions,
          metrics: failureMetrics(m.score, m.predicted, labels),
          pr: prCurve(m.score, failureLabels(m.predicted, labels), 'error', config.curvePoints),
        })),
      },
    };
  },
});
