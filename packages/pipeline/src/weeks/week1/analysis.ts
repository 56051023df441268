import { regressionFromTable } from '@rdl/data';
import { analyticLinearPredictiveVariance, createBasis, fitBayesianLinearRegression, predictBayesianLinearRegression } from '@rdl/models';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { numericTable } from '../shared/columns.js';
import { datasets } from './datasets.js';
import { mean } from './fit-summary.js';

/** 1.5: with α = 0, β = 1 the numeric predictive variance must equal the closed form. */
export const analysis = defineStage({
  name: 'analysis',
  description: '1.5 — α = 0, β = 1: numeric σ²(x*) against 1 + 1/N + (x* − x̄)²/Σ(xᵢ − x̄)²',
  module: import.meta.url,
  config: z.object({
    alpha: z.literal(0).default(0),
    beta: z.number().positive().default(1),
  }),
  needs: { datasets },
  outputs: {
    curves: artifact.table(),
    summary: artifact.json(
      z.object({
        n: z.number(),
        beta: z.number(),
        barycentre: z.number(),
        maxAbsDifference: z.number(),
        argminAnalytic: z.number(),
        argminNumeric: z.number(),
      }),
    ),
  },
  async run({ config, inputs }) {
    const data = regressionFromTable(inputs.datasets.line);
    const basis = createBasis({ kind: 'linear' });
    const posterior = fitBayesianLinearRegression(basis.design(data.x), data.y, { alpha: config.alpha, beta: config.beta });
    const numeric = predictBayesianLinearRegression(posterior, basis.design(data.xTest), config.beta).variance;
    const analytic = analyticLinearPredictiveVariance(data.x, data.xTest, config.beta);
    let maxAbsDifference = 0;
    let argminNumeric = 0;
    let argminAnalytic = 0;
    for (let i = 0; i < numeric.length; i++) {
      maxAbsDifference = Math.max(maxAbsDifference, Math.abs(numeric[i]! - analytic[i]!));
      if (numeric[i]! < numeric[argminNumeric]!) argminNumeric = i;
      if (analytic[i]! < analytic[argminAnalytic]!) argminAnalytic = i;
    }
    return {
      curves: numericTable({ x: data.xTest, numeric, analytic }),
      summary: {
        n: data.x.length,
        beta: config.beta,
        barycentre: mean(data.x),
        maxAbsDifference,
        argminNumeric: data.xTest[argminNumeric]!,
        argminAnalytic: data.xTest[argminAnalytic]!,
      },
    };
  },
});
