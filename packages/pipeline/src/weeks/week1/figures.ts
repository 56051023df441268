import { regressionFromTable } from '@rdl/data';
import { posteriorGridChart, regressionChart, varianceChart } from '@rdl/eval';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { float64Column } from '../shared/columns.js';
import { figure } from '../shared/render.js';
import { analysis } from './analysis.js';
import { datasets } from './datasets.js';
import { fitGaussian, fitHole, fitLinear, fitPolynomial } from './fit.js';
import type { FitSummary } from './fit-summary.js';
import { posteriorSequence } from './posterior-sequence.js';

const fmt = (v: number): string => (Math.abs(v) >= 100 || Math.abs(v) < 0.01 ? v.toExponential(2) : v.toFixed(3));

async function fitFigures(id: string, title: string, train: Table, predictions: Table, summary: FitSummary, logY = false) {
  const data = regressionFromTable(train);
  const x = float64Column(predictions, 'x', id);
  const variance = float64Column(predictions, 'variance', id);
  const subtitle = `α = ${summary.alpha}, β = ${summary.beta}, N = ${summary.n}`;
  const barycentre = summary.basis === 'linear' ? summary.barycentre : undefined;
  const fit = await figure(
    regressionChart({
      xTest: x,
      mean: float64Column(predictions, 'mean', id),
      std: variance.map(Math.sqrt),
      truth: float64Column(predictions, 'truth', id),
      xTrain: data.x,
      yTrain: data.y,
      trainRange: summary.trainRange,
      barycentre,
      title: `${id} — ${title}`,
      subtitle,
    }),
  );
  const varianceFigure = await figure(
    varianceChart({
      xTest: x,
      variance,
      varianceName: 'σ²(x*) total',
      series: [{ name: 'epistemic φᵀΣφ', values: float64Column(predictions, 'epistemic', id) }],
      trainRange: summary.trainRange,
      barycentre,
      reference: { label: '1/β', value: summary.aleatoric },
      title: `${id} — predictive variance`,
      subtitle: `min σ² = ${fmt(summary.minVariance)} at x = ${fmt(summary.argminVariance)}`,
      logY,
    }),
  );
  return { fit, variance: varianceFigure };
}

export const figures = defineStage({
  name: 'figures',
  description: 'Week 1 figures: posterior grid (1.1), fits with σ bands and σ² curves (1.4, bonus, 2.4, 2.5), analytic vs numeric σ² (1.5)',
  module: import.meta.url,
  config: z.object({}),
  needs: { datasets, posteriorSequence, fitLinear, analysis, fitHole, fitPolynomial, fitGaussian },
  outputs: {
    posterior: artifact.figure(),
    linearFit: artifact.figure(),
    linearVariance: artifact.figure(),
    analysis: artifact.figure(),
    holeFit: artifact.figure(),
    holeVariance: artifact.figure(),
    polynomialFit: artifact.figure(),
    polynomialVariance: artifact.figure(),
    gaussianFit: artifact.figure(),
    gaussianVariance: artifact.figure(),
  },
  async run({ inputs }) {
    const seq = inputs.posteriorSequence.summary;
    const posterior = await figure(
      posteriorGridChart({
        title: '1.1 — Posterior over (w₀, w₁) as data arrives',
        truth: seq.truth,
        panels: seq.posteriors.map((p) => ({
          title: `N = ${p.n}`,
          density: float64Column(inputs.posteriorSequence.densities, `n${p.n}`, 'posterior densities'),
          resolution: seq.resolution,
          w0Range: seq.w0Range,
          w1Range: seq.w1Range,
        })),
      }),
    );
    const linear = await fitFigures(
      '1.4',
      'linear basis φ(x) = (1, x)',
      inputs.datasets.line,
      inputs.fitLinear.predictions,
      inputs.fitLinear.summary,
    );
    const hole = await fitFigures(
      'bonus',
      'two clouds with a hole',
      inputs.datasets.twoClouds,
      inputs.fitHole.predictions,
      inputs.fitHole.summary,
    );
    const polynomial = await fitFigures(
      '2.4',
      'polynomial basis x⁰..x⁹',
      inputs.datasets.sinusoid,
      inputs.fitPolynomial.predictions,
      inputs.fitPolynomial.summary,
      true,
    );
    const gaussian = await fitFigures(
      '2.5',
      'Gaussian basis, 9 centres, s = 1/9',
      inputs.datasets.sinusoid,
      inputs.fitGaussian.predictions,
      inputs.fitGaussian.summary,
    );
    const a = inputs.analysis.summary;
    const lineTrain = regressionFromTable(inputs.datasets.line);
    const analysisFigure = await figure(
      varianceChart({
        xTest: float64Column(inputs.analysis.curves, 'x', '1.5'),
        variance: float64Column(inputs.analysis.curves, 'numeric', '1.5'),
        varianceName: 'σ² numeric (posterior)',
        series: [{ name: 'σ² analytic 1 + 1/N + (x*−x̄)²/Σ(xᵢ−x̄)²', values: float64Column(inputs.analysis.curves, 'analytic', '1.5') }],
        trainRange: [Math.min(...lineTrain.x), Math.max(...lineTrain.x)],
        barycentre: a.barycentre,
        reference: { label: '1/β', value: 1 / a.beta },
        title: '1.5 — α = 0, β = 1: numeric and analytic predictive variance',
        subtitle: `max |numeric − analytic| = ${a.maxAbsDifference.toExponential(2)}`,
      }),
    );
    return {
      posterior,
      linearFit: linear.fit,
      linearVariance: linear.variance,
      analysis: analysisFigure,
      holeFit: hole.fit,
      holeVariance: hole.variance,
      polynomialFit: polynomial.fit,
      polynomialVariance: polynomial.variance,
      gaussianFit: gaussian.fit,
      gaussianVariance: gaussian.variance,
    };
  },
});
