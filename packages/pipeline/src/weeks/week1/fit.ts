import { readDatasetDescription, regressionFromTable } from '@rdl/data';
import {
  basisSpecSchema,
  createBasis,
  fitBayesianLinearRegression,
  predictBayesianLinearRegression,
  type BasisSpecInput,
} from '@rdl/models';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { numericTable } from '../shared/columns.js';
import { datasets } from './datasets.js';
import { fitSummarySchema, insideOutsideMeans, mean, type FitSummary } from './fit-summary.js';

type DatasetKey = 'line' | 'twoClouds' | 'sinusoid';

interface FitStageOptions<Name extends string> {
  name: Name;
  description: string;
  dataset: DatasetKey;
  alpha: number;
  beta: number;
  basis: BasisSpecInput;
  /** Where the training inputs were drawn, for the inside/outside split (from the dataset's parameters). */
  trainRanges: (params: Record<string, unknown>) => [number, number][];
}

/**
 * A closed-form Bayesian linear regression fit on one week-1 dataset: posterior, predictive mean
 * and variance (epistemic and aleatoric) on the dataset's test grid, and the SPEC's numbers.
 */
export function defineFitStage<const Name extends string>(options: FitStageOptions<Name>) {
  return defineStage({
    name: options.name,
    description: options.description,
    module: import.meta.url,
    config: z.object({
      alpha: z.number().min(0).default(options.alpha),
      beta: z.number().positive().default(options.beta),
      basis: basisSpecSchema.prefault(options.basis),
    }),
    needs: { datasets },
    outputs: { predictions: artifact.table(), summary: artifact.json(fitSummarySchema) },
    async run({ config, inputs }) {
      const table = inputs.datasets[options.dataset];
      const data = regressionFromTable(table);
      const basis = createBasis(config.basis);
      const posterior = fitBayesianLinearRegression(basis.design(data.x), data.y, { alpha: config.alpha, beta: config.beta });
      const prediction = predictBayesianLinearRegression(posterior, basis.design(data.xTest), config.beta);
      const barycentre = mean(data.x);
      const atBarycentre = predictBayesianLinearRegression(posterior, basis.design([barycentre]), config.beta);
      let argmin = 0;
      prediction.variance.forEach((v, i) => {
        if (v < prediction.variance[argmin]!) argmin = i;
      });
      const last = data.xTest.length - 1;
      const trainRange = options.trainRanges(readDatasetDescription(table).params);
      const [inside, outside] = insideOutsideMeans(data.xTest, prediction.variance, trainRange);
      const summary: FitSummary = {
        n: data.x.length,
        alpha: config.alpha,
        beta: config.beta,
        basis: basis.name,
        posteriorMean: [...posterior.mean],
        posteriorCovariance: [...posterior.covariance],
        barycentre,
        argminVariance: data.xTest[argmin]!,
        varianceAtArgmin: prediction.variance[argmin]!,
        varianceAtBarycentre: atBarycentre.variance[0]!,
        ends: [data.xTest[0]!, data.xTest[last]!],
        varianceAtEnds: [prediction.variance[0]!, prediction.variance[last]!],
        epistemicAtEnds: [prediction.epistemic[0]!, prediction.epistemic[last]!],
        aleatoric: 1 / config.beta,
        trainRange,
        meanVarianceInside: inside,
        meanVarianceOutside: outside,
        minVariance: prediction.variance[argmin]!,
      };
      return {
        predictions: numericTable({
          x: data.xTest,
          truth: data.yTest,
          mean: prediction.mean,
          variance: prediction.variance,
          epistemic: prediction.epistemic,
          aleatoric: prediction.aleatoric,
        }),
        summary,
      };
    },
  });
}

const interval =
  (low: string, high: string) =>
  (p: Record<string, unknown>): [number, number][] => [[Number(p[low]), Number(p[high])]];

export const fitLinear = defineFitStage({
  name: 'fit-linear',
  description: '1.4 — linear basis φ(x) = (1, x) on the line, α = 2, β = 12.5',
  dataset: 'line',
  alpha: 2,
  beta: 12.5,
  basis: { kind: 'linear' },
  trainRanges: interval('xLow', 'xHigh'),
});

export const fitHole = defineFitStage({
  name: 'fit-hole',
  description: 'bonus — linear basis on the two clouds with a hole, α = 2, β = 12.5',
  dataset: 'twoClouds',
  alpha: 2,
  beta: 12.5,
  basis: { kind: 'linear' },
  trainRanges: (p) => [p.left as [number, number], p.right as [number, number]],
});

export const fitPolynomial = defineFitStage({
  name: 'fit-polynomial',
  description: '2.4 — polynomial basis x⁰..x⁹ on the sinusoid, α = 0.05, β = 12.5',
  dataset: 'sinusoid',
  alpha: 0.05,
  beta: 12.5,
  basis: { kind: 'polynomial', featureCount: 10 },
  trainRanges: interval('xLow', 'xHigh'),
});

export const fitGaussian = defineFitStage({
  name: 'fit-gaussian',
  description: '2.5 — 9 Gaussian features, centres linspace(0, 1, 9), s = 1/9, on the sinusoid, α = 0.05, β = 12.5',
  dataset: 'sinusoid',
  alpha: 0.05,
  beta: 12.5,
  basis: { kind: 'gaussian', count: 9, low: 0, high: 1, s: 1 / 9 },
  trainRanges: interval('xLow', 'xHigh'),
});
