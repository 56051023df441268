/**
 * Bootstrap-interval throughput, the one-pass sweep (`failureMetricIntervals`, `oodMetricIntervals`)
 * against the previous implementation (kept below: each resample laid out in order, every metric
 * re-sorting it), on the same synthetic scores with ties and the same seeded draws:
 *   failure: 10,000 test images (~15% errors); ood: 10,000 in + 10,000 out (20,000 images).
 * Prints resamples/s and the seconds one interval call takes at the week-3 config sizes
 * (1,000 resamples for failure, 300 for ood), and checks both give the same intervals.
 *
 *   npx tsx --conditions=rdl-source packages/eval/bench/bootstrap.bench.ts [--old-resamples 20] [--new-resamples 1000]
 */
import { loadavg } from 'node:os';
import { createRng } from '@rdl/core';
import { failureLabels, oodLabels, orientScore, type Score } from '../src/conventions.js';
import { aurc } from '../src/metrics/aurc.js';
import { averagePrecision } from '../src/metrics/average-precision.js';
import { bootstrapIntervals, descendingOrder, resampleInOrder, type BootstrapOptions, type Interval } from '../src/metrics/bootstrap.js';
import { failureMetricIntervals } from '../src/metrics/failure-metrics.js';
import { fprAtTpr } from '../src/metrics/fpr-at-tpr.js';
import { oodMetricIntervals } from '../src/metrics/ood-metrics.js';
import { rocAuc } from '../src/metrics/roc-auc.js';

function argInt(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 2) throw new Error(`${name} must be an integer ≥ 2, got ${process.argv[i + 1]}`);
  return v;
}

/** The previous failureMetricIntervals (commit 76c645b), for timing only. */
function oldFailureIntervals(score: Score, predicted: ArrayLike<number>, truth: ArrayLike<number>, options: BootstrapOptions) {
  const isError = failureLabels(predicted, truth);
  const errorScores = orientScore(score, 'error');
  const successScores = orientScore(score, 'success');
  const nan = { auprError: NaN, auprSuccess: NaN, auroc: NaN, fpr95: NaN, fpr95Success: NaN, aurc: NaN };
  const order = descendingOrder(errorScores);
  return bootstrapIntervals(
    [isError.length],
    (_, counts) => {
      const [labels, byError] = resampleInOrder(order, counts, [isError, errorScores]);
      let errors = 0;
      for (const e of labels!) errors += e;
      if (errors === 0 || errors === labels!.length) return nan;
      const [labelsBack, bySuccess] = resampleInOrder(order, counts, [isError, successScores], true);
      const isSuccess = Uint8Array.from(labelsBack!, (e) => 1 - e);
      return {
        auprError: averagePrecision(labels!, byError!),
        auroc: rocAuc(labels!, byError!),
        fpr95: fprAtTpr(labels!, byError!, 0.95),
        auprSuccess: averagePrecision(isSuccess, bySuccess!),
        fpr95Success: fprAtTpr(isSuccess, bySuccess!, 0.95),
        aurc: aurc(labelsBack!, bySuccess!),
      };
    },
    options,
  );
}

/** The previous oodMetricIntervals (commit 76c645b), for timing only. */
function oldOodIntervals(inScore: Score, outScore: Score, options: BootstrapOptions) {
  const nIn = inScore.values.length;
  const nOut = outScore.values.length;
  const values = Float64Array.from([...Array.from(inScore.values), ...Array.from(outScore.values)]);
  const combined: Score = { name: inScore.name, values, direction: inScore.direction };
  const isOod = oodLabels(nIn, nOut);
  const oodScores = orientScore(combined, 'ood');
  const inScores = orientScore(combined, 'in-distribution');
  const order = descendingOrder(oodScores);
  return bootstrapIntervals(
    [nIn, nOut],
    (_, counts) => {
      const [labels, byOod] = resampleInOrder(order, counts, [isOod, oodScores]);
      const [labelsBack, byIn] = resampleInOrder(order, counts, [isOod, inScores], true);
      const isIn = Uint8Array.from(labelsBack!, (o) => 1 - o);
      return {
        auprOut: averagePrecision(labels!, byOod!),
        auroc: rocAuc(labels!, byOod!),
        fpr95: fprAtTpr(labels!, byOod!, 0.95),
        auprIn: averagePrecision(isIn, byIn!),
        fpr95In: fprAtTpr(isIn, byIn!, 0.95),
      };
    },
    options,
  );
}

function timed<T>(run: () => T): { seconds: number; out: T } {
  const start = performance.now();
  const out = run();
  return { seconds: (performance.now() - start) / 1000, out };
}

function maxDiff(a: Record<string, Interval>, b: Record<string, Interval>): number {
  let worst = 0;
  for (const key of Object.keys(a)) {
    worst = Math.max(worst, Math.abs(a[key]!.low - b[key]!.low), Math.abs(a[key]!.high - b[key]!.high));
    if (a[key]!.skipped !== b[key]!.skipped) worst = Infinity;
  }
  return worst;
}

const oldResamples = argInt('--old-resamples', 20);
const newResamples = argInt('--new-resamples', 1000);
const rng = createRng(2026);
// Float32-like MCP confidences rounded to 1e-4, so that ties occur as they do in real scores.
const round = (v: number) => Math.round(v * 1e4) / 1e4;

const n = 10_000;
const truth = Array.from({ length: n }, () => rng.int(10));
const predicted = truth.map((t) => (rng.next() < 0.15 ? (t + 1) % 10 : t));
const mcp: Score = {
  name: 'mcp',
  values: truth.map((t, i) => round(predicted[i] === t ? 1 - 0.3 * rng.next() ** 3 : 0.3 + 0.7 * rng.next())),
  direction: 'higher-is-more-confident',
};
const inScore: Score = {
  name: 'mcp',
  values: Array.from({ length: 10_000 }, () => round(1 - 0.4 * rng.next() ** 3)),
  direction: 'higher-is-more-confident',
};
const outScore: Score = {
  name: 'mcp',
  values: Array.from({ length: 10_000 }, () => round(0.2 + 0.8 * rng.next())),
  direction: 'higher-is-more-confident',
};

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; old: ${oldResamples} resamples, new: ${newResamples}`,
);
const rows: string[] = [];
for (const [name, images, config, oldRun, newRun] of [
  [
    'failure',
    n,
    1000,
    (o: BootstrapOptions) => oldFailureIntervals(mcp, predicted, truth, o),
    (o: BootstrapOptions) => failureMetricIntervals(mcp, predicted, truth, o),
  ],
  [
    'ood',
    20_000,
    300,
    (o: BootstrapOptions) => oldOodIntervals(inScore, outScore, o),
    (o: BootstrapOptions) => oodMetricIntervals(inScore, outScore, o),
  ],
] as const) {
  const old = timed(() => oldRun({ resamples: oldResamples, seed: 7 }));
  const same = timed(() => newRun({ resamples: oldResamples, seed: 7 }));
  const fast = timed(() => newRun({ resamples: newResamples, seed: 7 }));
  const oldRate = oldResamples / old.seconds;
  const newRate = newResamples / fast.seconds;
  rows.push(
    `| ${name} | ${images} | ${oldRate.toFixed(1)} | ${newRate.toFixed(0)} | ${(newRate / oldRate).toFixed(0)}× | ` +
      `${config} | ${(config / oldRate).toFixed(1)} s | ${(config / newRate).toFixed(2)} s | ${maxDiff(old.out, same.out)} |`,
  );
}
console.log(
  '| metrics | images | old resamples/s | new resamples/s | speed-up | config resamples | old s/call | new s/call | max |old − new| |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
