import { z } from 'zod';
import { defineStage } from '../../core/stage.js';
import { buildReport, reportOutputs } from '../shared/report.js';
import { analysis } from './analysis.js';
import { fitGaussian, fitHole, fitLinear, fitPolynomial } from './fit.js';
import type { FitSummary } from './fit-summary.js';
import { figures } from './figures.js';
import { posteriorSequence } from './posterior-sequence.js';

const r = (v: number, digits = 4): number => Number(v.toPrecision(digits));

/** The numbers of a linear-basis fit that 1.4 and the bonus ask for. */
function predictiveNumbers(s: FitSummary) {
  return {
    alpha: s.alpha,
    beta: s.beta,
    n: s.n,
    posteriorMean: s.posteriorMean,
    posteriorCovariance: s.posteriorCovariance,
    argminVariance: s.argminVariance,
    barycentre: s.barycentre,
    varianceAtArgmin: s.varianceAtArgmin,
    varianceAtBarycentre: s.varianceAtBarycentre,
    ends: s.ends,
    varianceAtEnds: s.varianceAtEnds,
  };
}

function predictiveTable(s: FitSummary) {
  return {
    caption: 'Predictive variance σ²(x*) = 1/β + φ(x*)ᵀΣφ(x*)',
    columns: ['quantity', 'value'],
    rows: [
      ['argmin σ² (test grid)', r(s.argminVariance)],
      ['training barycentre x̄', r(s.barycentre)],
      ['σ² at argmin', r(s.varianceAtArgmin)],
      ['σ² at barycentre', r(s.varianceAtBarycentre)],
      [`σ² at x = ${s.ends[0]}`, r(s.varianceAtEnds[0])],
      [`σ² at x = ${s.ends[1]}`, r(s.varianceAtEnds[1])],
      ['1/β', r(s.aleatoric)],
    ],
  };
}

function posteriorTable(s: FitSummary) {
  const d = s.posteriorMean.length;
  return {
    caption: `Posterior N(μ, Σ), ${s.basis} basis (D = ${d})`,
    columns: ['i', 'μᵢ', 'Σᵢᵢ'],
    rows: s.posteriorMean.map((m, i) => [i, r(m), r(s.posteriorCovariance[i * d + i]!)]),
  };
}

export const report = defineStage({
  name: 'report',
  description: 'Week 1 report: index.html, summary.md and results.json keyed by SPEC id',
  module: import.meta.url,
  config: z.object({}),
  needs: { posteriorSequence, fitLinear, analysis, fitHole, fitPolynomial, fitGaussian, figures },
  outputs: reportOutputs,
  async run({ inputs, seed, pipeline }) {
    const seq = inputs.posteriorSequence.summary;
    const lin = inputs.fitLinear.summary;
    const hole = inputs.fitHole.summary;
    const poly = inputs.fitPolynomial.summary;
    const gauss = inputs.fitGaussian.summary;
    const ana = inputs.analysis.summary;
    const fig = inputs.figures;
    const results = {
      '1.1': { truth: seq.truth, posteriors: seq.posteriors },
      '1.4': predictiveNumbers(lin),
      '1.5': {
        alpha: 0,
        beta: ana.beta,
        n: ana.n,
        maxAbsDifference: ana.maxAbsDifference,
        argminNumeric: ana.argminNumeric,
        argminAnalytic: ana.argminAnalytic,
        barycentre: ana.barycentre,
      },
      bonus: predictiveNumbers(hole),
      '2.4': {
        ...predictiveNumbers(poly),
        meanVarianceInside: poly.meanVarianceInside,
        meanVarianceOutside: poly.meanVarianceOutside,
        trainRange: poly.trainRange,
      },
      '2.5': {
        ...predictiveNumbers(gauss),
        oneOverBeta: gauss.aleatoric,
        epistemicAtEnds: gauss.epistemicAtEnds,
        meanVarianceInside: gauss.meanVarianceInside,
        meanVarianceOutside: gauss.meanVarianceOutside,
      },
    };
    const built = buildReport({
      title: 'Week 1 — Bayesian linear regression',
      subtitle: 'Closed-form posterior and predictive distribution: linear, polynomial and Gaussian bases',
      pipeline,
      seed,
      results,
      sections: [
        {
          id: '1.1',
          title: 'Posterior as data arrives',
          question: 'How does the posterior over (w₀, w₁) concentrate around the true weights as training points arrive?',
          figures: [
            {
              caption: 'Posterior density for N = ' + seq.posteriors.map((p) => p.n).join(', ') + '; the cross marks the true weights',
              figure: fig.posterior,
              stage: 'figures',
              name: 'posterior',
            },
          ],
          tables: [
            {
              caption: `Posterior mean and covariance (true w = (${seq.truth.w0}, ${seq.truth.w1}))`,
              columns: ['N', 'μ₀', 'μ₁', 'Σ₀₀', 'Σ₀₁', 'Σ₁₁'],
              rows: seq.posteriors.map((p) => [
                p.n,
                r(p.mean[0]!),
                r(p.mean[1]!),
                r(p.covariance[0]!),
                r(p.covariance[1]!),
                r(p.covariance[3]!),
              ]),
            },
          ],
        },
        {
          id: '1.4',
          title: 'Predictive distribution, linear basis',
          question: 'Where is the predictive variance smallest, and how does it grow away from the training data?',
          figures: [
            {
              caption: 'Predictive mean with ±1/2/3 σ bands; training area shaded, barycentre dotted',
              figure: fig.linearFit,
              stage: 'figures',
              name: 'linearFit',
            },
            { caption: 'Predictive variance σ²(x*)', figure: fig.linearVariance, stage: 'figures', name: 'linearVariance' },
          ],
          tables: [predictiveTable(lin), posteriorTable(lin)],
          notes: [
            `σ² is minimal at x = ${r(lin.argminVariance)} on the test grid; the training barycentre is x̄ = ${r(lin.barycentre)} (grid spacing ${r((lin.ends[1] - lin.ends[0]) / 249)}).`,
            `σ² grows from ${r(lin.varianceAtBarycentre)} at x̄ to ${r(lin.varianceAtEnds[0])} and ${r(lin.varianceAtEnds[1])} at the ends of the test range.`,
          ],
        },
        {
          id: '1.5',
          title: 'Analysis: α = 0, β = 1',
          question: 'Does the closed form σ²(x*) = 1 + 1/N + (x* − x̄)²/Σ(xᵢ − x̄)² match the numeric predictive variance?',
          figures: [{ caption: 'Numeric (solid) and analytic (dashed) σ²', figure: fig.analysis, stage: 'figures', name: 'analysis' }],
          tables: [
            {
              caption: 'Numeric vs analytic',
              columns: ['quantity', 'value'],
              rows: [
                ['max |numeric − analytic|', ana.maxAbsDifference],
                ['argmin numeric', r(ana.argminNumeric)],
                ['argmin analytic', r(ana.argminAnalytic)],
                ['barycentre x̄', r(ana.barycentre)],
              ],
            },
          ],
        },
        {
          id: 'bonus',
          title: 'Two clouds with a hole',
          question:
            'With training data on two separate intervals, where is the predictive variance smallest, and does it rise in the hole?',
          figures: [
            { caption: 'Fit on the two clouds', figure: fig.holeFit, stage: 'figures', name: 'holeFit' },
            { caption: 'Predictive variance', figure: fig.holeVariance, stage: 'figures', name: 'holeVariance' },
          ],
          tables: [predictiveTable(hole)],
          notes: [
            `The minimum (x = ${r(hole.argminVariance)}) sits at the barycentre (x̄ = ${r(hole.barycentre)}), inside the hole: a linear model's variance depends on the distance to x̄ only.`,
          ],
        },
        {
          id: '2.4',
          title: 'Polynomial basis (x⁰..x⁹)',
          question: 'How does the predictive variance of a polynomial basis behave inside and outside the training interval [0, 1]?',
          figures: [
            { caption: 'Polynomial fit on the sinusoid', figure: fig.polynomialFit, stage: 'figures', name: 'polynomialFit' },
            { caption: 'Predictive variance (log scale)', figure: fig.polynomialVariance, stage: 'figures', name: 'polynomialVariance' },
          ],
          tables: [
            {
              caption: 'Mean σ² inside vs outside the training interval',
              columns: ['region', 'mean σ²'],
              rows: [
                ['inside [0, 1]', r(poly.meanVarianceInside)],
                ['outside', r(poly.meanVarianceOutside)],
                ['ratio outside / inside', r(poly.meanVarianceOutside / poly.meanVarianceInside)],
              ],
            },
          ],
        },
        {
          id: '2.5',
          title: 'Gaussian basis (9 centres, s = 1/9)',
          question: 'Far from the data, does the predictive variance fall back to the noise level 1/β (epistemic part → 0)?',
          figures: [
            { caption: 'Gaussian-basis fit on the sinusoid', figure: fig.gaussianFit, stage: 'figures', name: 'gaussianFit' },
            { caption: 'Predictive variance, 1/β dashed', figure: fig.gaussianVariance, stage: 'figures', name: 'gaussianVariance' },
          ],
          tables: [
            {
              caption: 'Variance far from the data',
              columns: ['quantity', 'value'],
              rows: [
                [`σ² at x = ${gauss.ends[0]}`, r(gauss.varianceAtEnds[0], 6)],
                [`σ² at x = ${gauss.ends[1]}`, r(gauss.varianceAtEnds[1], 6)],
                ['1/β', r(gauss.aleatoric, 6)],
                [`epistemic at x = ${gauss.ends[0]}`, gauss.epistemicAtEnds[0]],
                [`epistemic at x = ${gauss.ends[1]}`, gauss.epistemicAtEnds[1]],
                ['mean σ² inside [0, 1]', r(gauss.meanVarianceInside)],
              ],
            },
          ],
        },
      ],
    });
    return built;
  },
});
