import { deriveSeed } from '@rdl/core';
import {
  accuracy,
  expectedCalibrationError,
  failureLabels,
  failureMetricIntervals,
  failureMetrics,
  negativeLogLikelihood,
} from '@rdl/eval';
import { createMcp, mcDropoutHeadline } from '@rdl/uncertainty/pure';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { curveSchema, prCurve, riskCoverage, summarize, summarySchema } from './curves.js';
import { intervalSchema } from './intervals.js';
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
  fpr95Success: z.number(),
  aurc: z.number(),
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
  bootstrap: z.object({ resamples: z.number().int(), level: z.number() }),
  /** MC-dropout variation ratio of correctly / wrongly classified test images (MC-dropout prediction). */
  variationRatio: z.object({ correct: summarySchema, wrong: summarySchema }),
  methods: z.array(
    z.object({
      method: z.string(),
      score: z.string(),
      direction: z.string(),
      /** Whose errors are the positives: the deterministic net's (one set shared by every row) or MC dropout's own prediction's. */
      predictions: z.enum(['deterministic', 'mc-dropout']),
      metrics: metricsSchema,
      /** Percentile bootstrap intervals, test images resampled (paired across rows: same resamples). */
      intervals: z.object({
        auprError: intervalSchema,
        auprSuccess: intervalSchema,
        auroc: intervalSchema,
        fpr95: intervalSchema,
        fpr95Success: intervalSchema,
        aurc: intervalSchema,
      }),
      /** Risk–coverage: x = coverage, y = error rate of the accepted images, most confident accepted first. */
      riskCoverage: curveSchema,
      /** Precision–recall with errors positive: x = recall, y = precision. */
      pr: curveSchema,
    }),
  ),
});
export type FailureResults = z.infer<typeof resultsSchema>;

export const failure = defineStage({
  name: 'failure',
  description:
    "Week 3 I–II: test accuracy, ECE, NLL; failure prediction of the deterministic net's errors by MCP, MC dropout and ConfidNet (plus MC dropout on its own errors): AUPR-Error, AUPR-Success, AUROC, FPR@95%TPR in both conventions, AURC, bootstrap intervals, PR and risk–coverage curves",
  module: import.meta.url,
  config: z.strictObject({
    eceBins: z.number().int().min(1).default(15),
    curvePoints: z.number().int().min(3).default(400),
    /** Bootstrap resamples for the 95% intervals. */
    resamples: z.number().int().min(2).default(1000),
  }),
  needs: { predict, trainConfidNet: trainConfidNetStage },
  outputs: { results: artifact.json(resultsSchema) },
  async run({ config, seed, inputs }) {
    const table = inputs.predict.test;
    const labels = intColumn(table, 'label', 'predict test');
    const predicted = intColumn(table, 'predicted', 'predict test');
    const { values: probs, width: numClasses } = matrixColumn(table, 'probs', 'predict test');
    const mc = mcSummaryFromTable(table, 'predict test');
    const confidnet = scoreColumn(inputs.trainConfidNet.scores, 'confidnet', 'confidnet scores');
    // The first three rows rank ONE positive set, the deterministic network's errors, so they can be
    // set side by side. The last row judges MC dropout on the errors of its own prediction (argmax of
    // the mean over T passes), what a user of MC dropout would predict; its positives differ.
    const mcScore = mcDropoutHeadline(mc, 'failure');
    const methods = [
      { method: 'MCP', score: await createMcp().score({ probs, numClasses }), predictions: 'deterministic' as const, predicted },
      { method: 'MC dropout', score: mcScore, predictions: 'deterministic' as const, predicted },
      { method: 'ConfidNet', score: confidnet, predictions: 'deterministic' as const, predicted },
      { method: 'MC dropout (own errors)', score: mcScore, predictions: 'mc-dropout' as const, predicted: mc.predicted },
    ];
    // One seed for every row: the same resampled test images, so the intervals are paired.
    const bootstrap = { resamples: config.resamples, seed: deriveSeed(seed, 'week3/failure/bootstrap') };
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
        bootstrap: { resamples: config.resamples, level: 0.95 },
        variationRatio: { correct: summarize(mcCorrect), wrong: summarize(mcWrong) },
        methods: methods.map((m) => ({
          method: m.method,
          score: m.score.name,
          direction: m.score.direction,
          predictions: m.predictions,
          metrics: failureMetrics(m.score, m.predicted, labels),
          intervals: failureMetricIntervals(m.score, m.predicted, labels, bootstrap),
          pr: prCurve(m.score, failureLabels(m.predicted, labels), 'error', config.curvePoints),
          riskCoverage: riskCoverage(m.score, failureLabels(m.predicted, labels), config.curvePoints),
        })),
      },
    };
  },
});
