import { z } from 'zod';
import { defineStage } from '../../core/stage.js';
import { buildReport, reportOutputs } from '../shared/report.js';
import { evaluate, type MethodMetrics } from './evaluate.js';
import { figures } from './figures.js';
import { logistic } from './logistic.js';
import { mlps } from './mlps.js';
import { trainSecondsFrom } from './timings.js';
import { viLogistic } from './vi-logistic.js';

const r = (v: number | null, digits = 3): number | null => (v === null ? null : Number(v.toPrecision(digits)));

type TrainSeconds = (method: string, dataset: string) => number | null;

/** `train s` is a run fact, read from the model stages' manifests (see TIMINGS_NOTE). */
function metricsTable(caption: string, rows: MethodMetrics[], seconds: TrainSeconds) {
  return {
    caption,
    columns: [
      'method',
      'data',
      'accuracy',
      'entropy near',
      'entropy far',
      'far/near entropy',
      'MI near',
      'MI far',
      'far/near MI',
      'train s',
    ],
    rows: rows.map((m) => [
      m.method,
      m.dataset,
      r(m.accuracy, 4),
      r(m.entropyNear),
      r(m.entropyFar),
      r(m.entropyFarNearRatio),
      r(m.miNear),
      r(m.miFar),
      r(m.miFarNearRatio),
      r(seconds(m.method, m.dataset)),
    ]),
  };
}

const TIMINGS_NOTE =
  "from the manifests of the logistic, vi-logistic and mlps stages (artifacts/week2/<stage>/manifest.json), as recorded by the run that computed each model; timings vary between runs, so they are in no stage's outputs, in no cache key and not in results.json";

/** States, from the numbers, whether a method's uncertainty grows away from the data more than the baseline's. */
function claim(metric: 'entropyFarNearRatio' | 'entropyFar', method: MethodMetrics, baseline: MethodMetrics): string {
  const a = method[metric];
  const b = baseline[metric];
  const label = metric === 'entropyFar' ? 'mean entropy far from the data' : 'far/near entropy ratio';
  if (a === null || b === null) return `${method.method} vs ${baseline.method} (${method.dataset}): ${label} undefined`;
  const verdict = a > b ? 'higher — the claim holds in this number' : 'not higher — the claim does not hold in this number';
  return `${method.method} vs ${baseline.method} (${method.dataset}): ${label} ${r(a)} vs ${r(b)}, ${verdict}.`;
}

type MapCheck = {
  loss: number;
  gradientNorm: number;
  convergedEpochs: number;
  convergedLoss: number;
  convergedGradientNorm: number;
  convergedWeights: number[];
};

/** Says whether the SPEC's MAP (and so the point Laplace expands around) is a minimum. */
function mapCheckNote(c: MapCheck, weights: number[]): string {
  const f = (v: number): string => v.toPrecision(3);
  const w = (ws: number[]): string => `(${ws.map((v) => v.toFixed(2)).join(', ')})`;
  const stationary = c.gradientNorm <= 10 * c.convergedGradientNorm + 1e-6;
  return stationary
    ? `The MAP is a stationary point of the regularised loss (gradient norm ${f(c.gradientNorm)}), as Laplace assumes.`
    : `The SPEC's optimiser settings stop before the minimum: regularised loss ${f(c.loss)} with gradient norm ${f(c.gradientNorm)} at w = ${w(weights)}, ` +
        `against ${f(c.convergedLoss)} (gradient norm ${f(c.convergedGradientNorm)}) at w = ${w(c.convergedWeights)} after ${c.convergedEpochs} epochs of the same optimiser. ` +
        'Its weights are larger than at the minimum, so its predictions are sharper (lower entropy on the training points, which is the denominator of the far/near ratio), and Laplace (1.2) expands around a point that is not a mode. The numbers here keep the SPEC settings.';
}

export const report = defineStage({
  name: 'report',
  description: 'Week 2 report: index.html, summary.md and results.json keyed by SPEC id',
  module: import.meta.url,
  config: z.object({}),
  needs: { evaluate, figures, logistic },
  outputs: reportOutputs,
  async run({ inputs, seed, pipeline, manifest }) {
    const all = inputs.evaluate.metrics;
    const seconds = trainSecondsFrom(await Promise.all([logistic, viLogistic, mlps].map((stage) => manifest(stage))));
    const table = (caption: string, rows: MethodMetrics[]) => metricsTable(caption, rows, seconds);
    const metricsOf = (method: string, dataset: string): MethodMetrics => {
      const m = all.find((x) => x.method === method && x.dataset === dataset);
      if (!m) throw new Error(`no metrics for ${method} on ${dataset}`);
      return m;
    };
    const fig = inputs.figures;
    const map = metricsOf('MAP', 'blobs');
    const moonsClaims = (dataset: string) =>
      ['VI', 'MC dropout'].flatMap((m) => [
        claim('entropyFarNearRatio', metricsOf(m, dataset), metricsOf('Deterministic', dataset)),
        claim('entropyFar', metricsOf(m, dataset), metricsOf('Deterministic', dataset)),
      ]);
    // results.json holds only what the seed determines (no timings).
    const results = {
      '1.1': { MAP: metricsOf('MAP', 'blobs'), weights: inputs.logistic.weights.map, mapCheck: inputs.logistic.weights.mapCheck },
      '1.2': {
        Laplace: metricsOf('Laplace', 'blobs'),
        'Laplace (probit)': metricsOf('Laplace (probit)', 'blobs'),
        mean: inputs.logistic.weights.laplaceMean,
        covariance: inputs.logistic.weights.laplaceCovariance,
      },
      '1.3': { VI: metricsOf('VI', 'blobs') },
      '2.1': {
        moons: { Deterministic: metricsOf('Deterministic', 'moons'), VI: metricsOf('VI', 'moons') },
        noisyMoons: { Deterministic: metricsOf('Deterministic', 'noisyMoons'), VI: metricsOf('VI', 'noisyMoons') },
      },
      '2.2': {
        moons: { 'MC dropout': metricsOf('MC dropout', 'moons') },
        noisyMoons: { 'MC dropout': metricsOf('MC dropout', 'noisyMoons') },
      },
    };
    return buildReport({
      title: 'Week 2 — Approximate inference for classification',
      subtitle: 'MAP, Laplace, variational inference and MC dropout on two blobs and two moons',
      pipeline,
      seed,
      results,
      provenance: { 'train s': TIMINGS_NOTE },
      sections: [
        {
          id: '1.1',
          title: 'Logistic regression, MAP',
          question: 'How accurate is the MAP logistic regression, and how uncertain is it away from the data?',
          figures: [
            {
              caption: 'Mean p(y=1|x) with the 0.5 boundary',
              figure: fig.logisticProbability,
              stage: 'figures',
              name: 'logisticProbability',
            },
          ],
          tables: [table('MAP on two blobs', [map])],
          notes: [mapCheckNote(inputs.logistic.weights.mapCheck, inputs.logistic.weights.map)],
        },
        {
          id: '1.2',
          title: 'Laplace approximation',
          question: 'Does the Laplace posterior make the predictive uncertainty grow far from the data, where MAP stays confident?',
          figures: [
            {
              caption: 'Predictive entropy: MAP, Laplace (samples), Laplace (probit), VI',
              figure: fig.logisticEntropy,
              stage: 'figures',
              name: 'logisticEntropy',
            },
            {
              caption: 'Mutual information (epistemic part)',
              figure: fig.logisticMutualInformation,
              stage: 'figures',
              name: 'logisticMutualInformation',
            },
          ],
          tables: [table('Laplace vs MAP', [map, metricsOf('Laplace', 'blobs'), metricsOf('Laplace (probit)', 'blobs')])],
          notes: [
            claim('entropyFarNearRatio', metricsOf('Laplace', 'blobs'), map),
            claim('entropyFar', metricsOf('Laplace', 'blobs'), map),
          ],
        },
        {
          id: '1.3',
          title: 'Variational logistic regression',
          question: 'With a LinearVariational layer trained on the ELBO, is accuracy kept and does uncertainty grow away from the data?',
          tables: [table('VI vs MAP', [map, metricsOf('VI', 'blobs')])],
          notes: [claim('entropyFarNearRatio', metricsOf('VI', 'blobs'), map), claim('entropyFar', metricsOf('VI', 'blobs'), map)],
        },
        {
          id: '2.1',
          title: 'Bayesian MLP by VI vs deterministic MLP',
          question: 'On two moons, does the Bayesian MLP become uncertain away from the data while the deterministic one does not?',
          figures: [
            { caption: 'Mean p(y=1|x), noise 0.05', figure: fig.moonsProbability, stage: 'figures', name: 'moonsProbability' },
            { caption: 'Predictive entropy, noise 0.05', figure: fig.moonsEntropy, stage: 'figures', name: 'moonsEntropy' },
            {
              caption: 'Mutual information, noise 0.05',
              figure: fig.moonsMutualInformation,
              stage: 'figures',
              name: 'moonsMutualInformation',
            },
            { caption: 'Predictive entropy, noise 0.3', figure: fig.noisyMoonsEntropy, stage: 'figures', name: 'noisyMoonsEntropy' },
          ],
          tables: [
            table('Two moons, noise 0.05', [
              metricsOf('Deterministic', 'moons'),
              metricsOf('VI', 'moons'),
              metricsOf('MC dropout', 'moons'),
            ]),
            table('Two moons, noise 0.3', [
              metricsOf('Deterministic', 'noisyMoons'),
              metricsOf('VI', 'noisyMoons'),
              metricsOf('MC dropout', 'noisyMoons'),
            ]),
          ],
          notes: [...moonsClaims('moons'), ...moonsClaims('noisyMoons')],
        },
        {
          id: '2.2',
          title: 'MC dropout',
          question: 'Does keeping dropout (p = 0.2) at test time, with 100 passes, give uncertainty that grows away from the data?',
          tables: [table('MC dropout', [metricsOf('MC dropout', 'moons'), metricsOf('MC dropout', 'noisyMoons')])],
          notes: ['Maps: see 2.1 (third panel).'],
        },
      ],
    });
  },
});
