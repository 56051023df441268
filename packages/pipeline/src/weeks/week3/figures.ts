import { imageSetFromTable, type ImageSet } from '@rdl/data';
import { curveChart, imageGridChart, voteHistogramGridChart, type VoteItem } from '@rdl/eval';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { figure } from '../shared/render.js';
import { failure } from './failure.js';
import { mcSummaryFromTable } from './mc-table.js';
import { mnist } from './mnist.js';
import { ood } from './ood.js';
import { oodData } from './ood-data.js';
import { predict } from './predict.js';
import { intColumn } from './tables.js';

const ROC_ZOOM = { fpr: 0.2, tpr: 0.8 } as const;

const int = (v: number): string => v.toLocaleString('en-US');
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

function pixelsOf(set: ImageSet, indices: number[]): Uint8Array {
  const size = set.height * set.width;
  const out = new Uint8Array(indices.length * size);
  indices.forEach((i, k) => out.set(set.pixels.subarray(i * size, (i + 1) * size), k * size));
  return out;
}

export const figures = defineStage({
  name: 'figures',
  description:
    'Week 3 figures: most / least confident test digits with their variation ratio, per-image vote histograms, failure PR and risk–coverage curves, OOD PR and ROC curves',
  module: import.meta.url,
  config: z.strictObject({
    /** Images per confidence grid. */
    gridImages: z.number().int().min(1).default(24),
    /** Images with a vote histogram. */
    histograms: z.number().int().min(1).default(4),
  }),
  needs: { mnist, oodData, predict, failure, ood },
  outputs: {
    mostConfident: artifact.figure(),
    leastConfident: artifact.figure(),
    votes: artifact.figure(),
    failurePr: artifact.figure(),
    riskCoverage: artifact.figure(),
    oodPr: artifact.figure(),
    oodRoc: artifact.figure(),
  },
  async run({ config, inputs }) {
    const test = imageSetFromTable(inputs.mnist.test, 'mnist test');
    const table = inputs.predict.test;
    const labels = intColumn(table, 'label', 'predict test');
    const mc = mcSummaryFromTable(table, 'predict test');
    const vr = mc.scores.variationRatio.values;
    const conf = mc.scores.confidence.values;
    const order = Array.from({ length: test.count }, (_, i) => i);
    // Variation ratio first; among equal ratios (most are 0) the mean-probability confidence decides.
    order.sort((a, b) => vr[a]! - vr[b]! || conf[b]! - conf[a]! || a - b);
    const k = Math.min(config.gridImages, test.count);
    const most = order.slice(0, k);
    const least = order.slice(-k).reverse();
    const wrong = (i: number) => mc.predicted[i] !== labels[i];
    const grid = (indices: number[], title: string, subtitle: string) =>
      figure(
        imageGridChart({
          images: pixelsOf(test, indices),
          labels: indices.map((i) => labels[i]!),
          captions: indices.map((i) => `pred ${mc.predicted[i]}${wrong(i) ? ' ✗' : ''}\nVR ${vr[i]!.toFixed(2)}\np ${conf[i]!.toFixed(3)}`),
          flagged: indices.map(wrong),
          columns: Math.min(8, indices.length),
          title,
          subtitle,
        }),
      );
    const errorsShown = (indices: number[]) => indices.filter(wrong).length;
    const mostConfident = await grid(
      most,
      `I — the ${k} most confident MNIST test digits (MC dropout, T = ${mc.passes})`,
      `lowest variation ratio VR, then highest mean softmax p (max over classes of the mean of T passes); errors in red (${errorsShown(most)} here)`,
    );
    const leastConfident = await grid(
      least,
      `I — the ${k} least confident MNIST test digits (MC dropout, T = ${mc.passes})`,
      `highest variation ratio VR = 1 − modal votes / T, then lowest mean softmax p; errors in red (${errorsShown(least)} of ${k})`,
    );

    // Vote histograms: the most uncertain errors and the most uncertain correct digits.
    const h = Math.min(config.histograms, test.count);
    const wrongFirst = least.filter(wrong).slice(0, Math.ceil(h / 2));
    const picked = [...wrongFirst, ...least.filter((i) => !wrong(i)).slice(0, h - wrongFirst.length)];
    const items: VoteItem[] = picked.map((i) => ({
      votes: Array.from(mc.votes.subarray(i * mc.numClasses, (i + 1) * mc.numClasses)),
      probs: Array.from(mc.meanProbs.subarray(i * mc.numClasses, (i + 1) * mc.numClasses)),
      trueLabel: labels[i]!,
      predicted: mc.predicted[i]!,
      image: pixelsOf(test, [i]),
    }));
    const votes = await figure(
      voteHistogramGridChart({
        items,
        title: `I — votes of the T = ${mc.passes} stochastic passes per class (showUncertainty)`,
        subtitle: 'bars: share of passes voting for each class; ticks: mean softmax probability',
      }),
    );

    const f = inputs.failure.results;
    const det = f.methods.find((m) => m.predictions === 'deterministic')!.metrics;
    const own = f.methods.find((m) => m.predictions === 'mc-dropout')?.metrics;
    const failurePr = await figure(
      curveChart({
        curves: f.methods.map((m) => ({ method: m.method, x: m.pr.x, y: m.pr.y, summary: `AUPR-Error ${pct(m.metrics.auprError)}` })),
        xTitle: 'recall (share of errors caught)',
        interpolate: 'step-after',
        yTitle: 'precision (share of flagged that are errors)',
        title: 'II — failure prediction on MNIST test, errors as the positive class',
        subtitle: `${det.errors} errors of ${int(det.n)} made by the deterministic net, ranked by every method${own ? `; the last row ranks MC dropout's own ${own.errors} errors` : ''}`,
        baseline: { label: 'error rate (deterministic net)', value: det.errors / det.n },
      }),
    );
    // Risk is noisy at tiny coverage (a handful of accepted images): zoom to the highest risk any
    // method reaches from 5 % coverage on, so the curves fill the plot where they differ.
    const riskTop = Math.min(
      1,
      1.1 *
        Math.max(
          det.errors / det.n,
          ...f.methods.flatMap((m) => Array.from(m.riskCoverage.y).filter((_, i) => m.riskCoverage.x[i]! >= 0.05)),
        ),
    );
    const riskCoverage = await figure(
      curveChart({
        curves: f.methods.map((m) => ({
          method: m.method,
          x: m.riskCoverage.x,
          y: m.riskCoverage.y,
          summary: `AURC ${(1000 * m.metrics.aurc).toFixed(1)}‰`,
        })),
        xTitle: 'coverage (share of test images accepted, most confident first)',
        yTitle: 'risk (error rate of the accepted images)',
        title: 'II — risk–coverage on MNIST test (selective classification), lower is better',
        subtitle: `AURC = mean risk over all coverages (‰); at coverage 1 the risk is the error rate, ${pct(det.errors / det.n)} for the deterministic net`,
        yDomain: [0, riskTop],
      }),
    );
    const o = inputs.ood.results;
    const oodName = inputs.oodData.summary.name;
    const odinNote = `ODIN tuned on held-out ${oodName}: T = ${o.odin.temperature}, ε = ${o.odin.epsilon}; OOD-free: T = ${o.odinOodFree.temperature}, ε = ${o.odinOodFree.epsilon}`;
    const oodPr = await figure(
      curveChart({
        curves: o.methods.map((m) => ({ method: m.method, x: m.pr.x, y: m.pr.y, summary: `AUPR-Out ${pct(m.metrics.auprOut)}` })),
        xTitle: `recall (share of ${oodName} images caught)`,
        interpolate: 'step-after',
        yTitle: 'precision',
        title: `III — OOD detection, ${oodName} as the positive class`,
        subtitle: `${int(o.nIn)} MNIST test vs ${int(o.nOut)} ${oodName} test images; ${odinNote}`,
        baseline: { label: 'OOD share', value: o.nOut / (o.nIn + o.nOut) },
        // Precision never falls below the OOD share at full recall; zoom to where the curves differ.
        yDomain: [Math.min(o.nOut / (o.nIn + o.nOut), ...o.methods.flatMap((m) => m.pr.y)), 1],
      }),
    );
    // Good detectors hug the top-left corner; zoom there when every method gets past the zoom's TPR early.
    const zoomRoc = o.methods.every((m) => m.metrics.fpr95 < ROC_ZOOM.fpr);
    const oodRoc = await figure(
      curveChart({
        curves: o.methods.map((m) => ({
          method: m.method,
          x: m.roc.x,
          y: m.roc.y,
          summary: `AUROC ${pct(m.metrics.auroc)}, FPR95 ${pct(m.metrics.fpr95)}`,
        })),
        xTitle: 'false-positive rate (MNIST flagged as OOD)',
        yTitle: 'true-positive rate (OOD caught)',
        title: 'III — OOD detection ROC, OOD as the positive class',
        subtitle: zoomRoc ? `zoomed on FPR ≤ ${ROC_ZOOM.fpr}, TPR ≥ ${ROC_ZOOM.tpr}, where the methods differ; ${odinNote}` : odinNote,
        ...(zoomRoc
          ? { xDomain: [0, ROC_ZOOM.fpr] as [number, number], yDomain: [ROC_ZOOM.tpr, 1] as [number, number] }
          : { diagonal: true }),
      }),
    );
    return { mostConfident, leastConfident, votes, failurePr, riskCoverage, oodPr, oodRoc };
  },
});
