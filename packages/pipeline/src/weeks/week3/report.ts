import { METRIC_CONVENTIONS } from '@rdl/eval';
import { z } from 'zod';
import type { StageManifest } from '../../core/manifest.js';
import { defineStage } from '../../core/stage.js';
import { labLink } from '../shared/lab-link.js';
import { buildReport, reportOutputs } from '../shared/report.js';
import { confidNetCurve, confidNetSection } from './confidnet-section.js';
import { failure } from './failure.js';
import { figures } from './figures.js';
import { mnist } from './mnist.js';
import { ood } from './ood.js';
import { odin } from './odin.js';
import { odinOodFree } from './odin-ood-free.js';
import { ODIN_TUNING } from './odin-choice.js';
import { oodSynthetic } from './ood-synthetic.js';
import type { IntervalJson } from './intervals.js';
import { oodData } from './ood-data.js';
import { predict } from './predict.js';
import { trainConfidNetStage } from './train-confidnet.js';
import { trainLenet } from './train-lenet.js';

/** Published MNIST AUPR-Error (%), ConfidNet paper (NeurIPS 2019), SmallConvNet; for orientation only. */
export const PUBLISHED_AUPR_ERROR: Readonly<Record<string, number>> = { MCP: 35.05, 'MC dropout': 38.5, ConfidNet: 45.89 };

/** Says when the chosen point sits on the border of the searched grid (the optimum may lie beyond). */
function edgeNote(od: { temperature: number; epsilon: number; grid: { T: number; eps: number }[] }): string {
  const ts = od.grid.map((g) => g.T);
  const es = od.grid.map((g) => g.eps);
  const edges: string[] = [];
  if (od.temperature === Math.max(...ts) && new Set(ts).size > 1) edges.push('the largest T');
  if (od.epsilon === Math.max(...es) && new Set(es).size > 1) edges.push('the largest ε');
  return edges.length ? `; the choice is ${edges.join(' and ')} of the grid, so a wider grid might do slightly better` : '';
}

function spreadAt(od: { grid: { T: number; value: number }[] }, temperature: number): number {
  const values = od.grid.filter((g) => g.T === temperature).map((g) => g.value);
  return Math.max(...values) - Math.min(...values);
}

/** The stages whose timings the report shows, read from their manifests. */
type RunFacts = StageManifest['records'];
const TIMED_STAGES = [trainLenet, predict, trainConfidNetStage, odin] as const;

/** One line of run facts: the timings each stage recorded, or why they are missing. */
function runFactsNote(facts: Record<string, RunFacts | null>): string {
  const num = (stage: string, key: string): number | undefined => {
    const v = facts[stage]?.[key];
    return typeof v === 'number' ? v : undefined;
  };
  const part = (label: string, seconds: number | undefined, extra = ''): string | undefined =>
    seconds === undefined ? undefined : `${label} ${seconds.toFixed(1)} s${extra}`;
  const rate = num('train-lenet', 'imagesPerSec');
  const parts = [
    part('LeNet training', num('train-lenet', 'trainSeconds'), rate === undefined ? '' : ` (${rate} images/s)`),
    part('deterministic pass', num('predict', 'deterministicSeconds')),
    part('MC dropout', num('predict', 'mcDropoutSeconds')),
    part('ConfidNet training', num('train-confidnet', 'trainSeconds')),
    part('ODIN test scoring', num('odin', 'seconds')),
  ].filter((p): p is string => p !== undefined);
  const threads = facts['predict']?.['threads'];
  return (
    `Run facts, read from the stages' manifests (not results: a rerun served from the cache shows the timings of the run that computed it): ` +
    (parts.length ? parts.join('; ') : 'no timings recorded') +
    (threads === undefined ? '.' : `; ${threads} thread${threads === 1 ? '' : 's'}.`)
  );
}

const pct = (v: number, digits = 2): number => Number((100 * v).toFixed(digits));
/** A metric in % with its 95% bootstrap interval, e.g. '48.9 [41.2, 55.3]'. */
const withCi = (v: number, ci: IntervalJson, scale = 100, digits = 1): string =>
  `${(scale * v).toFixed(digits)} [${(scale * ci.low).toFixed(digits)}, ${(scale * ci.high).toFixed(digits)}]`;

const r4 = (v: number): number => Number(v.toPrecision(4));

export const report = defineStage({
  name: 'report',
  description: 'Week 3 report: index.html, summary.md and results.json keyed by SPEC id (I, II, III)',
  module: import.meta.url,
  config: z.object({}),
  needs: {
    mnist,
    oodData,
    oodSynthetic,
    trainLenet,
    trainConfidNet: trainConfidNetStage,
    odin,
    odinOodFree,
    failure,
    ood,
    figures,
    confidNetCurve,
  },
  outputs: reportOutputs,
  async run({ inputs, seed, pipeline, manifest }) {
    // Timings are facts of the runs, read from the manifests: said in the text, never in results.json.
    const runFacts: Record<string, RunFacts | null> = {};
    for (const stage of TIMED_STAGES) runFacts[stage.name] = (await manifest(stage)).records;
    const f = inputs.failure.results;
    const o = inputs.ood.results;
    const lenet = inputs.trainLenet.history;
    const cn = inputs.trainConfidNet.history;
    const od = inputs.odin.result;
    const odFree = inputs.odinOodFree.result;
    const synth = inputs.oodSynthetic.summary;
    const oodSummary = inputs.oodData.summary;
    const counts = inputs.mnist.counts;
    const fig = inputs.figures;
    const results = {
      I: {
        testAccuracy: f.accuracy.deterministic,
        mcDropoutAccuracy: f.accuracy.mcDropout,
        ece: f.ece,
        nll: f.nll,
        eceBins: f.eceBins,
        passes: f.passes,
        testImages: f.n,
        variationRatio: f.variationRatio,
        data: { train: counts.train, validation: counts.validation, test: counts.test },
        training: {
          epochs: lenet.epochs,
          batchSize: lenet.batchSize,
          learningRate: lenet.learningRate,
          dropout: lenet.model.dropout,
          epochLosses: lenet.epochLosses,
          backend: lenet.backend,
        },
      },
      II: {
        positive: 'error',
        /** Each metric's positive class; fpr95 is rdl's convention (errors positive), fpr95Success the ConfidNet authors'. */
        conventions: {
          auprError: METRIC_CONVENTIONS.auprError,
          auprSuccess: METRIC_CONVENTIONS.auprSuccess,
          auroc: METRIC_CONVENTIONS.aurocError,
          fpr95: METRIC_CONVENTIONS.fpr95Error,
          fpr95Success: METRIC_CONVENTIONS.fpr95Success,
          aurc: METRIC_CONVENTIONS.aurc,
        },
        bootstrap: f.bootstrap,
        methods: Object.fromEntries(
          f.methods.map((m) => [
            m.method,
            {
              ...m.metrics,
              intervals: m.intervals,
              score: m.score,
              direction: m.direction,
              predictions: m.predictions,
              errorsOf:
                m.predictions === 'deterministic' ? 'the deterministic network (shared by these rows)' : "MC dropout's own prediction",
            },
          ]),
        ),
        publishedAuprErrorPercent: PUBLISHED_AUPR_ERROR,
        publishedSource: 'Corbière et al., NeurIPS 2019, MNIST SmallConvNet (not a target)',
        confidnet: {
          trainOn: cn.trainOn,
          trainImages: cn.trainImages,
          trainErrors: cn.trainErrors,
          bestEpoch: cn.bestEpoch,
          epochs: cn.epochs,
          learningRate: cn.learningRate,
          selection: cn.selection,
        },
      },
      III: {
        positive: 'ood',
        oodSet: oodSummary.name,
        oodLoaded: oodSummary.loaded,
        oodDroppedRows: oodSummary.dropped,
        oodDroppedDetail: oodSummary.droppedRows,
        nIn: o.nIn,
        nOut: o.nOut,
        conventions: {
          auprIn: METRIC_CONVENTIONS.auprIn,
          auprOut: METRIC_CONVENTIONS.auprOut,
          auroc: METRIC_CONVENTIONS.aurocOod,
          fpr95: METRIC_CONVENTIONS.fpr95Ood,
          fpr95In: METRIC_CONVENTIONS.fpr95In,
        },
        bootstrap: o.bootstrap,
        /** Row 'ODIN': tuned on held-out OOD images. */
        odin: {
          tuning: ODIN_TUNING['held-out-ood'],
          temperature: od.temperature,
          epsilon: od.epsilon,
          criterion: od.criterion,
          tuningValue: od.value,
          tuneIn: od.tuneIn,
          tuneOut: od.tuneOut,
          grid: od.grid,
        },
        /** Row 'ODIN (OOD-free)': tuned on MNIST validation vs synthetic OOD images. */
        odinOodFree: {
          tuning: ODIN_TUNING['ood-free'],
          temperature: odFree.temperature,
          epsilon: odFree.epsilon,
          criterion: odFree.criterion,
          tuningValue: odFree.value,
          tuneIn: odFree.tuneIn,
          tuneOut: odFree.tuneOut,
          synthetic: { noise: synth.noise, permuted: synth.permuted },
          grid: odFree.grid,
        },
        methods: Object.fromEntries(
          o.methods.map((m) => [
            m.method,
            { ...m.metrics, intervals: m.intervals, tuning: m.tuning, score: m.score, direction: m.direction },
          ]),
        ),
      },
    };
    const vr = f.variationRatio;
    const built = buildReport({
      title: 'Week 3 — Uncertainty applications on MNIST',
      subtitle: `MC dropout LeNet, failure prediction (MCP / MC dropout / ConfidNet), OOD detection against ${oodSummary.name} (MCP / MC dropout / ODIN)`,
      links: [labLink('week3', 'Week 3 digit lab: draw a digit and see every score live, in the browser')],
      pipeline,
      seed,
      results,
      sections: [
        {
          id: 'I',
          title: 'MC dropout LeNet',
          question: "How accurate is the LeNet, and does MC dropout's variation ratio separate correct from wrong test predictions?",
          figures: [
            {
              caption: 'Most confident test digits (lowest variation ratio)',
              figure: fig.mostConfident,
              stage: 'figures',
              name: 'mostConfident',
            },
            {
              caption: 'Least confident test digits (highest variation ratio); errors in red',
              figure: fig.leastConfident,
              stage: 'figures',
              name: 'leastConfident',
            },
            { caption: 'Per-class votes of the T passes for uncertain digits', figure: fig.votes, stage: 'figures', name: 'votes' },
          ],
          tables: [
            {
              caption: `Test set (${f.n} images); MC dropout with T = ${f.passes}`,
              columns: ['prediction', 'accuracy %', `ECE % (${f.eceBins} bins)`, 'NLL (nats)'],
              rows: [
                ['deterministic (dropout off)', pct(f.accuracy.deterministic), pct(f.ece.deterministic), r4(f.nll.deterministic)],
                ['MC dropout (mean of T passes)', pct(f.accuracy.mcDropout), pct(f.ece.mcDropout), r4(f.nll.mcDropout)],
              ],
            },
            {
              caption: 'Variation ratio of the MC-dropout prediction, correct vs wrong',
              columns: ['group', 'images', 'mean', 'median', '90th pct', 'max', 'share with VR = 0'],
              rows: [
                [
                  'correct',
                  vr.correct.count,
                  r4(vr.correct.mean),
                  r4(vr.correct.median),
                  r4(vr.correct.p90),
                  r4(vr.correct.max),
                  pct(vr.correct.zeroShare, 1) + '%',
                ],
                [
                  'wrong',
                  vr.wrong.count,
                  r4(vr.wrong.mean),
                  r4(vr.wrong.median),
                  r4(vr.wrong.p90),
                  r4(vr.wrong.max),
                  pct(vr.wrong.zeroShare, 1) + '%',
                ],
              ],
            },
          ],
          notes: [
            `LeNet trained ${lenet.epochs} epoch${lenet.epochs === 1 ? '' : 's'} (batch ${lenet.batchSize}, Adam lr ${lenet.learningRate}, dropout ${lenet.model.dropout}) on ${counts.train} images on the ${lenet.backend} backend; ${counts.validation} training images held out for validation.`,
            runFactsNote(runFacts),
          ],
        },
        {
          id: 'II',
          title: 'Failure prediction',
          question: "Which confidence best ranks the classifier's own errors first: MCP, MC dropout or ConfidNet?",
          figures: [
            { caption: 'Precision–recall, errors as the positive class', figure: fig.failurePr, stage: 'figures', name: 'failurePr' },
            {
              caption: 'Risk–coverage (selective classification): error rate of the accepted images, most confident first',
              figure: fig.riskCoverage,
              stage: 'figures',
              name: 'riskCoverage',
            },
          ],
          tables: [
            {
              caption: `Each cell: value [95% bootstrap interval, ${f.bootstrap.resamples} resamples of the test images, the same resamples for every row]. The first three rows rank the same positives, the deterministic network's errors; the last row ranks MC dropout's own errors and is not comparable with them. Published AUPR-Error: ConfidNet paper, MNIST SmallConvNet, for orientation only.`,
              columns: [
                'method',
                'errors of',
                'errors / n',
                'AUPR-Error % (errors +)',
                'AUPR-Success % (successes +)',
                'AUROC %',
                'FPR@95%TPR % (errors +, rdl)',
                "FPR@95%TPR % (successes +, authors')",
                'AURC ‰ (lower is better)',
                'published AUPR-Error %',
              ],
              rows: f.methods.map((m) => [
                m.method,
                m.predictions === 'deterministic' ? 'deterministic net' : 'MC dropout',
                `${m.metrics.errors} / ${m.metrics.n}`,
                withCi(m.metrics.auprError, m.intervals.auprError),
                withCi(m.metrics.auprSuccess, m.intervals.auprSuccess, 100, 2),
                withCi(m.metrics.auroc, m.intervals.auroc),
                withCi(m.metrics.fpr95, m.intervals.fpr95),
                withCi(m.metrics.fpr95Success, m.intervals.fpr95Success),
                withCi(m.metrics.aurc, m.intervals.aurc, 1000, 2),
                m.predictions === 'deterministic' ? (PUBLISHED_AUPR_ERROR[m.method] ?? null) : null,
              ]),
            },
          ],
          notes: [
            "MCP, MC dropout and ConfidNet are all judged on the same positives, the deterministic network's errors; 'MC dropout (own errors)' judges the same MC-dropout confidence (max_c mean_t p, as in the ConfidNet paper's baseline) on the errors of its own prediction (argmax of the mean of T passes), a different positive set.",
            `FPR@95%TPR in two conventions. ${METRIC_CONVENTIONS.fpr95Error.label}: ${METRIC_CONVENTIONS.fpr95Error.description}. ${METRIC_CONVENTIONS.fpr95Success.label}: ${METRIC_CONVENTIONS.fpr95Success.description}. AURC (Geifman et al., ICLR 2019): the mean error rate of the accepted images over the n coverages k/n, most confident first; its floor is the AURC of a perfect ranking, not 0.`,
            `ConfidNet: learnt from ${cn.trainOn} (${cn.trainImages} images, ${cn.trainErrors} misclassified, mean TCP ${cn.meanTrainTcp.toFixed(4)}) with dropout ${cn.trainingDropout} in the frozen classifier, ${cn.epochs} of at most ${cn.maxEpochs} epochs (stopped: ${cn.stopped}), lr ${cn.learningRate}; epoch ${cn.bestEpoch} kept by ${cn.selection} on ${cn.validationImages} validation images.`,
            `AUPR-Error rests on only ${f.methods[0]?.metrics.errors ?? 0} test errors here: the 95% intervals (test images resampled) show how far one test set pins each number down; they do not cover the seed-to-seed spread of training. The paper's numbers are for another network and are not targets.`,
          ],
        },
        confidNetSection(cn, inputs.confidNetCurve.curve),
        {
          id: 'III',
          title: 'Out-of-distribution detection',
          question: `Can MCP, MC dropout (predictive entropy) and ODIN tell ${oodSummary.name} images from MNIST test digits?`,
          figures: [
            { caption: 'Precision–recall, OOD as the positive class', figure: fig.oodPr, stage: 'figures', name: 'oodPr' },
            { caption: 'ROC, OOD as the positive class', figure: fig.oodRoc, stage: 'figures', name: 'oodRoc' },
          ],
          tables: [
            {
              caption: `${o.nIn} MNIST test vs ${o.nOut} ${oodSummary.name} images. Each cell: value [95% bootstrap interval, ${o.bootstrap.resamples} resamples, MNIST and ${oodSummary.name} images each resampled within their own sample]. 'ODIN' is tuned on held-out ${oodSummary.name} images (optimistic); 'ODIN (OOD-free)' never saw a real OOD image.`,
              columns: [
                'method',
                'ODIN tuned on',
                'AUPR-In % (MNIST +)',
                'AUPR-Out % (OOD +)',
                'AUROC %',
                'FPR@95%TPR % (OOD +, rdl)',
                "FPR@95%TPR % (MNIST +, ODIN authors')",
              ],
              rows: o.methods.map((m) => [
                m.method,
                m.tuning === 'held-out-ood' ? `held-out ${oodSummary.name}` : m.tuning === 'ood-free' ? 'synthetic OOD' : '—',
                withCi(m.metrics.auprIn, m.intervals.auprIn),
                withCi(m.metrics.auprOut, m.intervals.auprOut),
                withCi(m.metrics.auroc, m.intervals.auroc),
                withCi(m.metrics.fpr95, m.intervals.fpr95),
                withCi(m.metrics.fpr95In, m.intervals.fpr95In),
              ]),
            },
            {
              caption: `ODIN grid, tuned on held-out OOD data (${od.tuneIn} MNIST validation vs ${od.tuneOut} ${oodSummary.name} tuning images), criterion ${od.criterion === 'auroc' ? 'AUROC' : '−FPR95'}, beside the OOD-free grid (${odFree.tuneIn} MNIST validation vs ${odFree.tuneOut} synthetic images: ${synth.noise} uniform noise, ${synth.permuted} pixel-permuted digits)`,
              columns: [
                'T',
                'ε',
                `${od.criterion === 'auroc' ? 'AUROC' : '−FPR95'} % on held-out ${oodSummary.name}`,
                'chosen',
                `${odFree.criterion === 'auroc' ? 'AUROC' : '−FPR95'} % on synthetic OOD`,
                'chosen (OOD-free)',
              ],
              // The union of both grids' points (they may differ), in the held-out grid's order first.
              rows: [...od.grid, ...odFree.grid.filter((h) => !od.grid.some((g) => g.T === h.T && g.eps === h.eps))].map((p) => {
                const held = od.grid.find((g) => g.T === p.T && g.eps === p.eps);
                const free = odFree.grid.find((g) => g.T === p.T && g.eps === p.eps);
                return [
                  p.T,
                  p.eps,
                  held ? pct(held.value) : null,
                  p.T === od.temperature && p.eps === od.epsilon ? '✓' : '',
                  free ? pct(free.value) : null,
                  p.T === odFree.temperature && p.eps === odFree.epsilon ? '✓' : '',
                ];
              }),
            },
          ],
          notes: [
            `ODIN is tuned two ways. 'ODIN': ${ODIN_TUNING['held-out-ood']}; chosen T = ${od.temperature}, ε = ${od.epsilon} (SPEC defaults T = 1000, ε = 0.0014 are in the grid)${edgeNote(od)}.`,
            `'ODIN (OOD-free)': ${ODIN_TUNING['ood-free']}; chosen T = ${odFree.temperature}, ε = ${odFree.epsilon}${edgeNote(odFree)}${odFree.temperature === od.temperature && odFree.epsilon === od.epsilon ? ' (the same point as the held-out tuning: the same scores, computed once)' : ''}. This is the number to quote when the OOD data are not known in advance.`,
            `FPR@95%TPR in two conventions. ${METRIC_CONVENTIONS.fpr95Ood.label}: ${METRIC_CONVENTIONS.fpr95Ood.description}. ${METRIC_CONVENTIONS.fpr95In.label}: ${METRIC_CONVENTIONS.fpr95In.description}.`,
            `ODIN's spread over the grid: ${od.criterion === 'auroc' ? 'AUROC' : '−FPR95'} from ${pct(Math.min(...od.grid.map((g) => g.value)))}% to ${pct(Math.max(...od.grid.map((g) => g.value)))}%; at the chosen T, ε moves it by ${pct(spreadAt(od, od.temperature), 3)} points.`,
            `${oodSummary.name}: ${oodSummary.loaded} images loaded, ${oodSummary.dropped} malformed rows dropped${oodSummary.dropped ? ` (${oodSummary.droppedRows.map((d) => `${d.file.split('/').slice(-1)[0]} row ${d.index}: ${d.reason}`).join('; ')})` : ''}; test sample ${oodSummary.test}, disjoint tuning sample ${oodSummary.tune}.`,
          ],
        },
      ],
    });
    return built;
  },
});
