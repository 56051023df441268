/**
 * The week-2 methods on the user's points, with the pipeline's own calls (see
 * packages/pipeline/src/weeks/week2/{logistic,mlps}.ts) at the smaller settings the page states:
 * deterministic MLP (MAP), Laplace around the MAP logistic regression, VI MLP and MC-dropout MLP.
 */
import { deriveSeed } from '@rdl/core';
import { accuracy, nearFarRatio } from '@rdl/eval';
import { trainMcDropoutMlp } from '@rdl/models';
import {
  binaryStochasticClassifier,
  createBinaryMcDropout,
  createLaplace,
  createMap,
  createVariational,
  type BinaryPredictiveSummary,
} from '@rdl/uncertainty';
import type { MethodMap, PlaygroundDataset } from './protocol.js';
import { PLANES, PLAYGROUND_SETTINGS } from './settings.js';

export interface PlaygroundProgress {
  (done: number, total: number, label: string): void;
}

/** Trains the four methods on (x, y) and maps their predictive entropy on `grid`. */
export async function trainPlayground(
  dataset: PlaygroundDataset,
  x: Float32Array,
  y: Uint8Array,
  grid: Float32Array,
  progress: PlaygroundProgress,
): Promise<MethodMap[]> {
  const s = PLAYGROUND_SETTINGS;
  const seed = s.seed;
  const { farDistance } = PLANES[dataset];
  const data = { x, y };
  const out: MethodMap[] = [];
  const total = 4;
  const summarize = async (method: string, started: number, predict: (at: Float32Array) => Promise<BinaryPredictiveSummary>) => {
    const onGrid = await predict(grid);
    const onTrain = await predict(x);
    const nearFar = nearFarRatio({
      gridPoints: grid,
      gridValues: onGrid.entropy,
      trainPoints: x,
      trainValues: onTrain.entropy,
      farDistance,
    });
    const predicted = Uint8Array.from(onTrain.mean, (p) => (p >= 0.5 ? 1 : 0));
    out.push({
      method,
      probs: onGrid.mean,
      entropy: onGrid.entropy,
      entropyNear: nearFar.near,
      entropyFar: nearFar.far,
      farPoints: nearFar.farCount,
      trainAccuracy: accuracy(predicted, y),
      seconds: (performance.now() - started) / 1000,
    });
    progress(out.length, total, method);
  };
  progress(0, total, 'Deterministic');

  let started = performance.now();
  const det = createMap({
    architecture: 'mlp',
    config: { hiddenUnits: s.hiddenUnits, epochs: s.mlpEpochs, seed: deriveSeed(seed, 'web/week2/deterministic') },
    seed: deriveSeed(seed, 'web/week2/deterministic-predict'),
  });
  await det.fit(data);
  await summarize('Deterministic', started, (at) => det.predictive(at));
  det.dispose();

  started = performance.now();
  const logistic = createMap({
    architecture: 'logistic',
    config: { epochs: s.logisticEpochs, weightDecay: s.logisticWeightDecay, seed: deriveSeed(seed, 'web/week2/logistic') },
  });
  await logistic.fit(data);
  // The Hessian must be that of the MAP's own objective (same weight decay).
  const laplace = createLaplace({
    weightDecay: s.logisticWeightDecay,
    samples: s.laplaceSamples,
    seed: deriveSeed(seed, 'web/week2/laplace-samples'),
  });
  await laplace.fit({ ...data, mapWeights: logistic.weights! });
  await summarize('Laplace', started, (at) => laplace.predictive(at, { predictive: 'samples' }));

  started = performance.now();
  const vi = createVariational({
    architecture: 'mlp',
    config: { hiddenUnits: s.hiddenUnits, epochs: s.viEpochs, seed: deriveSeed(seed, 'web/week2/vi') },
    samples: s.samples,
    seed: deriveSeed(seed, 'web/week2/vi-samples'),
  });
  await vi.fit(data);
  await summarize('VI', started, (at) => vi.predictive(at));
  vi.dispose();

  started = performance.now();
  const mc = trainMcDropoutMlp(x, y, { hiddenUnits: s.hiddenUnits, epochs: s.mlpEpochs, seed: deriveSeed(seed, 'web/week2/mc-dropout') });
  const mcDropout = createBinaryMcDropout(binaryStochasticClassifier(mc.model), {
    passes: s.samples,
    seed: deriveSeed(seed, 'web/week2/mc-dropout-passes'),
  });
  await summarize('MC dropout', started, (at) => mcDropout.predictive(at));
  mc.model.dispose();
  return out;
}
