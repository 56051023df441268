import { z } from 'zod';
import { defineStage } from '../../core/stage.js';
import { labLink } from '../shared/lab-link.js';
import { buildReport, reportOutputs } from '../shared/report.js';
import type { NearFarClaim } from '@rdl/eval';
import { CLAIM_PAIRS, evaluate, type MethodMetrics } from './evaluate.js';
import { figures } from './figures.js';
import { CONVERGED_LAPLACE, CONVERGED_MAP, logistic, type MapCheck } from './logistic.js';
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
      'far/near entropy (not the yardstick)',
      'MI near',
      'MI far',
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
      r(seconds(m.method, m.dataset)),
    ]),
  };
}

const TIMINGS_NOTE =
  "from the manifests of the logistic, vi-logistic and mlps stages (artifacts/week2/<stage>/manifest.json), as recorded by the run that computed each model; timings vary between runs, so they are in no stage's outputs, in no cache key and not in results.json";

const RATIO_NOTE =
  'The far/near entropy ratio is shown for information only and judges nothing: a point estimate\'s near-zero entropy on its own training points makes its ratio large for the wrong reason (SPEC, "Near vs far"). The claims are judged on the far entropy against the baseline and on the mutual information far vs near.';

const mark = (holds: boolean): string => (holds ? '✓' : '✗');

/** The two claims of one pair on one data set, as found in evaluate's flat list. */
function pairClaims(claims: NearFarClaim[], method: string, baseline: string, dataset: string) {
  const of = (kind: NearFarClaim['claim']): NearFarClaim => {
    const c = claims.find((x) => x.claim === kind && x.method === method && x.baseline === baseline && x.dataset === dataset);
    if (!c) throw new Error(`no ${kind} claim for ${method} vs ${baseline} on ${dataset}`);
    return c;
  };
  return { far: of('far-entropy-above-baseline'), mi: of('epistemic-far-above-near') };
}

/** One sentence per claim, with both numbers and ✓/✗. */
function claimNotes(claims: NearFarClaim[], method: string, baseline: string, dataset: string): string[] {
  const { far, mi } = pairClaims(claims, method, baseline, dataset);
  return [
    `${mark(far.holds)} ${method} vs ${baseline} (${dataset}): far from the data, ${method}'s mean predictive entropy ${r(far.value)} nats is ${far.holds ? 'above' : 'not above'} ${baseline}'s ${r(far.reference)}; the claim ${far.holds ? 'holds' : 'does not hold'}.`,
    `${mark(mi.holds)} ${method} (${dataset}): its epistemic part (mutual information) is ${r(mi.value)} nats far from the data against ${r(mi.reference)} on the training points; "far above near" ${mi.holds ? 'holds' : 'does not hold'}.`,
  ];
}

/** One row per pair: both claims with their numbers. */
function claimsTable(caption: string, claims: NearFarClaim[], pairs: readonly { method: string; baseline: string; dataset: string }[]) {
  return {
    caption,
    columns: ['pair', 'data', 'far entropy: Bayesian', 'far entropy: baseline', 'above baseline', 'MI near', 'MI far', 'MI far above near'],
    rows: pairs.map(({ method, baseline, dataset }) => {
      const { far, mi } = pairClaims(claims, method, baseline, dataset);
      return [far.pair, dataset, r(far.value), r(far.reference), mark(far.holds), r(mi.reference), r(mi.value), mark(mi.holds)];
    }),
  };
}

/** The epistemic part alone, for the methods that have one. */
function miTable(caption: string, rows: MethodMetrics[]) {
  return {
    caption,
    columns: ['method', 'data', 'MI near (training points)', 'MI far', 'MI far − near', 'far/near MI (informative)'],
    rows: rows.map((m) => [m.method, m.dataset, r(m.miNear), r(m.miFar), r(m.miFar - m.miNear), r(m.miFarNearRatio)]),
  };
}

/** The course's MAP beside the converged one, and Laplace's numbers around each. */
function convergedTable(c: MapCheck, courseWeights: number[], metricsOf: (method: string, dataset: string) => MethodMetrics) {
  const w = (ws: number[]): string => `(${ws.map((v) => v.toFixed(3)).join(', ')})`;
  const row = (label: string, weights: number[], loss: number, grad: number, mapName: string, laplaceName: string) => {
    const map = metricsOf(mapName, 'blobs');
    const lap = metricsOf(laplaceName, 'blobs');
    return [
      label,
      w(weights),
      r(loss, 6),
      Number(grad.toPrecision(3)),
      r(map.accuracy, 4),
      r(lap.accuracy, 4),
      r(map.entropyFar),
      r(lap.entropyFar),
      r(lap.miNear),
      r(lap.miFar),
    ];
  };
  return {
    caption: "The course's MAP (SGD, 20 epochs) and the converged MAP, with Laplace around each (same 400 standard-normal draws)",
    columns: [
      'MAP',
      'θ = (w1, w2, b)',
      'regularised loss',
      '‖∇L‖',
      'MAP accuracy',
      'Laplace accuracy',
      'MAP far entropy',
      'Laplace far entropy',
      'Laplace MI near',
      'Laplace MI far',
    ],
    rows: [
      row("course's (SGD, 20 epochs)", courseWeights, c.loss, c.gradientNorm, 'MAP', 'Laplace'),
      row(
        `converged (Newton, ${c.convergedIterations} steps)`,
        c.convergedWeights,
        c.convergedLoss,
        c.convergedGradientNorm,
        CONVERGED_MAP,
        CONVERGED_LAPLACE,
      ),
    ],
  };
}

/** Says whether the SPEC's MAP (and so the point Laplace expands around) is a minimum. */
function mapCheckNote(c: MapCheck): string {
  const f = (v: number): string => v.toPrecision(3);
  const stopsEarly = c.gradientNorm > 1e-6;
  return (
    (stopsEarly
      ? `The course's MAP stops before the minimum of its regularised loss: loss ${f(c.loss)} with gradient norm ${f(c.gradientNorm)}, against ${f(c.convergedLoss)} and ${f(c.convergedGradientNorm)} at the converged MAP, so Laplace (1.2) expands around a point that is not a mode. `
      : `The course's MAP is at a stationary point of the regularised loss (gradient norm ${f(c.gradientNorm)}), as Laplace assumes. `) +
    `Converged MAP: ${c.convergedCriterion}. The SPEC rows keep the course's MAP; Laplace at the converged MAP is shown beside it.`
  );
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
    const claims = inputs.evaluate.claims;
    const mapCheck = inputs.logistic.weights.mapCheck;
    const held = claims.filter((c) => c.holds).length;
    // results.json holds only what the seed determines (no timings).
    const results = {
      '1.1': {
        MAP: metricsOf('MAP', 'blobs'),
        weights: inputs.logistic.weights.map,
        mapCheck,
        [CONVERGED_MAP]: metricsOf(CONVERGED_MAP, 'blobs'),
      },
      '1.2': {
        Laplace: metricsOf('Laplace', 'blobs'),
        'Laplace (probit)': metricsOf('Laplace (probit)', 'blobs'),
        [CONVERGED_LAPLACE]: metricsOf(CONVERGED_LAPLACE, 'blobs'),
        mean: inputs.logistic.weights.laplaceMean,
        covariance: inputs.logistic.weights.laplaceCovariance,
        convergedCovariance: inputs.logistic.weights.convergedLaplaceCovariance,
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
      claims,
    };
    return buildReport({
      title: 'Week 2 — Approximate inference for classification',
      subtitle: 'MAP, Laplace, variational inference and MC dropout on two blobs and two moons',
      links: [labLink('week2', 'Week 2 playground: train the four models on your own points, in the browser')],
      pipeline,
      seed,
      results,
      provenance: { 'train s': TIMINGS_NOTE },
      sections: [
        {
          id: 'claims',
          title: 'Near vs far: the claims, per pair',
          question:
            'Far from the data, are Laplace, VI and MC dropout more uncertain than MAP / the deterministic net (on the same data), and is their epistemic part larger far from the data than on it?',
          tables: [claimsTable(`Claims per pair (${held} of ${claims.length} hold)`, claims, CLAIM_PAIRS)],
          notes: [
            'Far: grid points farther than the configured distance from every training point; near: the training points. Entropies and mutual information in nats.',
            "Laplace is judged at the course's MAP (SPEC 1.2) and, beside it, at the converged MAP, each against its own MAP.",
            RATIO_NOTE,
          ],
        },
        {
          id: '1.1',
          title: 'Logistic regression, MAP',
          question: 'How accurate is the MAP logistic regression, and does the course optimiser reach the minimum of its loss?',
          figures: [
            {
              caption: "Mean p(y=1|x) with the 0.5 boundary; top row around the course's MAP, bottom row around the converged MAP",
              figure: fig.logisticProbability,
              stage: 'figures',
              name: 'logisticProbability',
            },
          ],
          tables: [
            table('MAP on two blobs', [map, metricsOf(CONVERGED_MAP, 'blobs')]),
            convergedTable(mapCheck, inputs.logistic.weights.map, metricsOf),
          ],
          notes: [mapCheckNote(mapCheck)],
        },
        {
          id: '1.2',
          title: 'Laplace approximation',
          question: 'Does the Laplace posterior make the predictive uncertainty grow far from the data, where MAP stays confident?',
          figures: [
            {
              caption:
                "Predictive entropy: the course's MAP, Laplace (samples), Laplace (probit); the converged MAP, Laplace around it, VI",
              figure: fig.logisticEntropy,
              stage: 'figures',
              name: 'logisticEntropy',
            },
            {
              caption: "Mutual information (epistemic part): Laplace at the course's MAP, at the converged MAP, and VI",
              figure: fig.logisticMutualInformation,
              stage: 'figures',
              name: 'logisticMutualInformation',
            },
          ],
          tables: [
            table('Laplace vs MAP', [
              map,
              metricsOf('Laplace', 'blobs'),
              metricsOf('Laplace (probit)', 'blobs'),
              metricsOf(CONVERGED_MAP, 'blobs'),
              metricsOf(CONVERGED_LAPLACE, 'blobs'),
            ]),
            miTable('Epistemic part (Laplace)', [metricsOf('Laplace', 'blobs'), metricsOf(CONVERGED_LAPLACE, 'blobs')]),
          ],
          notes: [
            ...claimNotes(claims, 'Laplace', 'MAP', 'blobs'),
            ...claimNotes(claims, CONVERGED_LAPLACE, CONVERGED_MAP, 'blobs'),
            'Laplace (probit) has no mutual information (it is one closed-form predictive, not samples) and is not judged.',
            RATIO_NOTE,
          ],
        },
        {
          id: '1.3',
          title: 'Variational logistic regression',
          question: 'With a LinearVariational layer trained on the ELBO, is accuracy kept and does uncertainty grow away from the data?',
          tables: [table('VI vs MAP', [map, metricsOf('VI', 'blobs')]), miTable('Epistemic part (VI)', [metricsOf('VI', 'blobs')])],
          notes: claimNotes(claims, 'VI', 'MAP', 'blobs'),
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
            {
              caption: 'Mutual information, noise 0.3',
              figure: fig.noisyMoonsMutualInformation,
              stage: 'figures',
              name: 'noisyMoonsMutualInformation',
            },
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
            miTable('Epistemic part (VI MLP)', [metricsOf('VI', 'moons'), metricsOf('VI', 'noisyMoons')]),
          ],
          notes: [
            ...claimNotes(claims, 'VI', 'Deterministic', 'moons'),
            ...claimNotes(claims, 'VI', 'Deterministic', 'noisyMoons'),
            RATIO_NOTE,
          ],
        },
        {
          id: '2.2',
          title: 'MC dropout',
          question: 'Does keeping dropout (p = 0.2) at test time, with 100 passes, give uncertainty that grows away from the data?',
          tables: [
            table('MC dropout', [metricsOf('MC dropout', 'moons'), metricsOf('MC dropout', 'noisyMoons')]),
            miTable('Epistemic part (MC dropout)', [metricsOf('MC dropout', 'moons'), metricsOf('MC dropout', 'noisyMoons')]),
          ],
          notes: [
            ...claimNotes(claims, 'MC dropout', 'Deterministic', 'moons'),
            ...claimNotes(claims, 'MC dropout', 'Deterministic', 'noisyMoons'),
            'Maps: see 2.1 (third panel).',
          ],
        },
      ],
    });
  },
});
