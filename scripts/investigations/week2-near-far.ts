// Week-2 near/far investigation (docs/week2-near-far.md). Usage: npx tsx --conditions=rdl-source scripts/investigations/week2-near-far.ts <mode> <seed> [cfgJSON] [label]
// modes: blobs (MAP, Laplace, VI logistic at config settings), moons (det, VI MLP, MC dropout at config settings),
//        vilog (VI logistic with cfg overrides), vimlp (VI MLP with cfg overrides), det/mcd (MLPs with overrides)
import { appendFileSync, mkdirSync } from 'node:fs';
import { blobsDataset, moonsDataset } from '@rdl/data';
import {
  trainVariationalLogistic,
  trainVariationalMlp,
  trainMlp,
  trainMcDropoutMlp,
  predictiveSamples,
  trainLogisticMap,
  predictLogistic,
} from '@rdl/models';
import { initBackend } from '@rdl/runtime';
import { summarizeBinaryPredictive, laplaceFit, laplacePredict } from '@rdl/uncertainty';
import { nearFarRatio } from '@rdl/eval';
import { deriveSeed } from '@rdl/core';
import { planeGridPoints as gridPoints } from '@rdl/pipeline';

const cfg = JSON.parse(
  await import('node:fs').then((fs) => fs.readFileSync(new URL('../../configs/week2.json', import.meta.url), 'utf8')),
).stages;
const [mode, seedArg, overArg, label] = process.argv.slice(2);
const seed = Number(seedArg ?? 0);
const over = JSON.parse(overArg ?? '{}');
const OUT = new URL('../../artifacts/investigations/week2-near-far.jsonl', import.meta.url);
mkdirSync(new URL('.', OUT), { recursive: true });
await initBackend();

const blobs = () => ({
  ...blobsDataset({ ...cfg.datasets.blobs, seed: deriveSeed(seed + (cfg.datasets.blobs.seed ?? 0), 'week2/datasets/blobs') }),
  grid: gridPoints(cfg.datasets.grids.blobs),
});
const moons = () => ({
  ...moonsDataset({ ...cfg.datasets.moons, seed: deriveSeed(seed + (cfg.datasets.moons.seed ?? 0), 'week2/datasets/moons') }),
  grid: gridPoints(cfg.datasets.grids.moons),
});
const FAR = { blobs: [1.5, 2.5, 3.5], moons: [1, 1.5, 2] };

function report(
  method: string,
  dataset: 'blobs' | 'moons',
  d: { x: Float32Array; y: Uint8Array; grid: Float32Array },
  gridS: Float64Array,
  trainS: Float64Array,
  S: number,
  trainSeconds: number,
  finalLoss: number | null,
  extra: { kl?: number | null; losses?: number[]; [key: string]: unknown } = {},
) {
  const g = summarizeBinaryPredictive(gridS, S),
    t = summarizeBinaryPredictive(trainS, S);
  let correct = 0;
  for (let i = 0; i < t.mean.length; i++) correct += Number((t.mean[i]! >= 0.5 ? 1 : 0) === d.y[i]);
  const byFar: Record<string, Record<string, number>> = {};
  for (const fd of FAR[dataset]) {
    const e = nearFarRatio({ gridPoints: d.grid, gridValues: g.entropy, trainPoints: d.x, trainValues: t.entropy, farDistance: fd });
    const mi = nearFarRatio({
      gridPoints: d.grid,
      gridValues: g.mutualInformation,
      trainPoints: d.x,
      trainValues: t.mutualInformation,
      farDistance: fd,
    });
    byFar[fd] = { near: e.near, far: e.far, ratio: e.ratio, farCount: e.farCount, miNear: mi.near, miFar: mi.far, miRatio: mi.ratio };
  }
  // expected NLL per point over the S passes (deterministic evaluation of the ELBO data term)
  let nllSum = 0;
  const n = d.y.length;
  for (let k = 0; k < S; k++)
    for (let i = 0; i < n; i++) {
      const p = Math.min(1 - 1e-12, Math.max(1e-12, trainS[k * n + i]!));
      nllSum -= d.y[i] ? Math.log(p) : Math.log(1 - p);
    }
  const evalNll = nllSum / (S * n);
  const klv = extra.kl;
  const evalElbo = klv === undefined || klv === null ? null : evalNll + klv / n;
  const lossesArr = extra.losses;
  const loss10 = lossesArr ? lossesArr.slice(-10).reduce((a, b) => a + b, 0) / Math.min(10, lossesArr.length) : null;
  if (lossesArr) delete extra.losses;
  // median train entropy too (robustness of the denominator)
  const sorted = Float64Array.from(t.entropy).sort();
  const rec = {
    mode,
    label: label ?? '',
    method,
    dataset,
    seed,
    over,
    accuracy: correct / d.y.length,
    trainSeconds,
    finalLoss,
    evalNll,
    evalElbo,
    loss10,
    nearMedian: sorted[Math.floor(sorted.length / 2)],
    gridMean: g.entropy.reduce((a, b) => a + b, 0) / g.entropy.length,
    byFar,
    ...extra,
  };
  appendFileSync(OUT, JSON.stringify(rec) + '\n');
  const def = byFar[dataset === 'blobs' ? 2.5 : 1.5]!;
  console.log(
    `${method.padEnd(12)} ${dataset} seed ${seed} ${label ?? ''} acc ${rec.accuracy.toFixed(3)} loss ${finalLoss?.toFixed(4)} l10 ${loss10?.toFixed(4)} nll ${evalNll.toFixed(4)} elbo ${evalElbo?.toFixed(4)} near ${def.near.toFixed(4)} far ${def.far.toFixed(4)} ratio ${def.ratio.toFixed(2)} MI ${def.miNear.toExponential(2)}/${def.miFar.toExponential(2)} t ${trainSeconds.toFixed(1)}s`,
  );
}
const last = (v: ArrayLike<number>) => (v.length ? v[v.length - 1]! : null);
const t0 = () => performance.now();
const sec = (s: number) => (performance.now() - s) / 1000;

if (mode === 'blobs' || mode === 'map') {
  const d = blobs();
  let s = t0();
  const mc = { ...cfg.logistic.map, ...(mode === 'map' ? over : {}) };
  const map = trainLogisticMap(d.x, d.y, { ...mc, seed: deriveSeed(seed + (mc.seed ?? 0), 'week2/logistic/map') });
  const mapT = sec(s);
  report('MAP', 'blobs', d, predictLogistic(map.weights, d.grid), predictLogistic(map.weights, d.x), 1, mapT, last(map.losses), {
    weights: [...map.weights],
    losses: [...map.losses],
  });
  s = t0();
  const post = laplaceFit(map.weights, d.x, d.y, { weightDecay: mc.weightDecay, damping: cfg.logistic.laplace.damping });
  const lapT = sec(s);
  const L = cfg.logistic.laplace.samples;
  report(
    'Laplace',
    'blobs',
    d,
    laplacePredict(post, d.grid, { method: 'samples', samples: L, seed: deriveSeed(seed, 'week2/logistic/laplace-samples') }).samples!,
    laplacePredict(post, d.x, { method: 'samples', samples: L, seed: deriveSeed(seed, 'week2/logistic/laplace-samples') }).samples!,
    L,
    lapT,
    null,
  );
}
if (mode === 'blobs' || mode === 'vilog') {
  const d = blobs();
  const c = { ...cfg['vi-logistic'].model, ...(mode === 'vilog' ? over : {}) };
  const s = t0();
  const tr = trainVariationalLogistic(d.x, d.y, { ...c, seed: deriveSeed(seed + (c.seed ?? 0), 'week2/vi-logistic/model') });
  const T = sec(s);
  const S = cfg['vi-logistic'].samples;
  const w = tr.model.getWeights().map((t) => Array.from(t.dataSync()).map((v) => +v.toFixed(3)));
  report(
    'VI logistic',
    'blobs',
    d,
    predictiveSamples(tr.model, d.grid, S, deriveSeed(seed, 'week2/vi-logistic/samples')),
    predictiveSamples(tr.model, d.x, S, deriveSeed(seed, 'week2/vi-logistic/samples')),
    S,
    T,
    last(tr.losses),
    { nll: last(tr.nll), kl: last(tr.kl), weights: w, losses: [...tr.losses] },
  );
  tr.model.dispose();
}
type MoonsTrainer = (
  x: Float32Array,
  y: Uint8Array,
  c: object,
) => { model: { dispose(): void }; losses: ArrayLike<number>; nll?: ArrayLike<number>; kl?: ArrayLike<number> };
/** One moons model: trains with the config (plus overrides in its own mode), predicts, reports. */
function moonsModel(
  method: string,
  ownMode: string,
  cfgKey: 'deterministic' | 'variational' | 'mcDropout',
  train: MoonsTrainer,
  passes: number,
  stream: string,
): void {
  if (mode !== 'moons' && mode !== ownMode) return;
  const d = moons();
  const c = { ...cfg.mlps[cfgKey], ...(mode === ownMode ? over : {}) };
  const s = t0();
  // The seeds of the pipeline's mlps stage, by the same names.
  const tr = train(d.x, d.y, { ...c, seed: deriveSeed(seed + (c.seed ?? 0), `week2/mlps/moons/${stream}`) });
  const predSeed = deriveSeed(
    seed,
    `week2/mlps/moons/${stream === 'vi' ? 'vi-samples' : stream === 'mc-dropout' ? 'mc-dropout-passes' : 'deterministic-predict'}`,
  );
  const T = sec(s);
  const model = tr.model as Parameters<typeof predictiveSamples>[0];
  const extra = tr.kl
    ? { nll: last(tr.nll!), kl: last(tr.kl), losses: [...Array.from(tr.losses)] }
    : { losses: [...Array.from(tr.losses)] };
  report(
    method,
    'moons',
    d,
    predictiveSamples(model, d.grid, passes, predSeed),
    predictiveSamples(model, d.x, passes, predSeed),
    passes,
    T,
    last(tr.losses),
    extra,
  );
  tr.model.dispose();
}
moonsModel('Deterministic', 'det', 'deterministic', trainMlp as MoonsTrainer, 1, 'deterministic');
moonsModel('VI MLP', 'vimlp', 'variational', trainVariationalMlp as MoonsTrainer, cfg.mlps.samples, 'vi');
moonsModel('MC dropout', 'mcd', 'mcDropout', trainMcDropoutMlp as MoonsTrainer, cfg.mlps.samples, 'mc-dropout');
