/**
 * LeNet throughput on real MNIST for the active backend:
 *   training images/s (batch 128, Adam), inference images/s (10k test images, dropout off) and
 *   seconds for MC dropout with T = 100 passes over the 10k test images, and ConfidNet training
 *   images/s (the 500→400⁴→1 branch on the frozen head with dropout active, batch 128, as the
 *   week-3 stage trains it; the 800-d trunk is computed before the clock starts).
 *
 *   npm run bench -- [--backend wasm|cpu|tensorflow] [--threads N] [--runs 3] [--json]
 *                    [--train-batches 40] [--infer-images 10000] [--mc-images 10000] [--mc-passes 100]
 *
 * With --runs N every number is the median of N runs. The machine's load average is printed too,
 * since other processes sharing the CPU slow everything down.
 */
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, resolveThreads, shutdownWorkers, type BackendName } from '@rdl/runtime';
import { LeNet } from '../src/nets/lenet.js';
import { mcDropoutProbs, predictProbs, trainClassifier, trunkFeatures } from '../src/training/classifier-training.js';
import { createBranchTrainer, lenetHeadWeights } from '../src/training/branch-training.js';
import { loadMnist } from './mnist-idx.js';

interface Args {
  backend?: BackendName;
  threads?: number;
  runs: number;
  json: boolean;
  trainBatches: number;
  mcImages: number;
  mcPasses: number;
  inferImages: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 1, json: false, trainBatches: 40, mcImages: 10000, mcPasses: 100, inferImages: 10000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const int = (v: string): number => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${a} must be a positive integer, got "${v}"`);
      return n;
    };
    if (a === '--backend') {
      const v = next();
      if (v !== 'wasm' && v !== 'cpu' && v !== 'tensorflow') throw new Error(`--backend must be one of tensorflow, wasm, cpu (got "${v}")`);
      args.backend = v;
    } else if (a === '--threads') args.threads = int(next());
    else if (a === '--runs') args.runs = int(next());
    else if (a === '--json') args.json = true;
    else if (a === '--train-batches') args.trainBatches = int(next());
    else if (a === '--mc-images') args.mcImages = int(next());
    else if (a === '--mc-passes') args.mcPasses = int(next());
    else if (a === '--infer-images') args.inferImages = int(next());
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

/**
 * Host speed check: GFLOP/s of one [2048,800]×[800,500] matMul on the active backend, single
 * thread. This VM's speed drifts by ±30% with its host's load, which no load average shows.
 */
async function matMulGflops(): Promise<number> {
  const a = tf.randomUniform([2048, 800]);
  const b = tf.randomUniform([800, 500]);
  const once = async (): Promise<void> => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  };
  await once();
  const reps = 10;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await once();
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([a, b]);
  return (2 * 2048 * 800 * 500 * reps) / seconds / 1e9;
}

/** ConfidNet's branch sizes and a small deterministic initialisation (speed does not depend on the values). */
const BRANCH_SIZES = [500, 400, 400, 400, 400, 1];
function branchInit(): Float32Array[] {
  return BRANCH_SIZES.slice(1).flatMap((out, k) => [
    Float32Array.from({ length: BRANCH_SIZES[k] * out }, (_, i) => Math.sin(i) / Math.sqrt(BRANCH_SIZES[k])),
    new Float32Array(out),
  ]);
}

/** ConfidNet training images/s on `count` training images after a few warm-up steps. */
async function confidNetRate(net: LeNet, pixels: Uint8Array, labels: Uint8Array, count: number, threads: number): Promise<number> {
  const batchSize = 128;
  const trunk = await trunkFeatures(net, pixels, count, { batchSize: 1000, threads });
  const source = { kind: 'lenet-head' as const, trunk, labels: labels.slice(0, count), head: lenetHeadWeights(net), dropout: 0.5 };
  const trainer = await createBranchTrainer({ source, sizes: BRANCH_SIZES, weights: branchInit(), learningRate: 1e-4, threads });
  const batch = (b: number) => Int32Array.from({ length: batchSize }, (_, i) => (b * batchSize + i) % count);
  for (let b = 0; b < 3; b++) await trainer.step(batch(b), b);
  const steps = Math.floor(count / batchSize);
  const t0 = performance.now();
  for (let b = 0; b < steps; b++) await trainer.step(batch(b), 1000 + b);
  const seconds = (performance.now() - t0) / 1000;
  trainer.dispose();
  return (steps * batchSize) / seconds;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const info = await initBackend(args.backend ? { backend: args.backend } : {});
  const threads = resolveThreads(args.threads, info.name);
  const batchSize = 128;
  const train = loadMnist('train', batchSize * (args.trainBatches + 3));
  const test = loadMnist('test');
  const mcCount = Math.min(args.mcImages, test.count);
  const inferCount = Math.min(args.inferImages, test.count);
  const log = (s: string): void => {
    if (!args.json) console.log(s);
  };
  log(
    `backend ${info.name} (simd ${info.simd}), ${threads} thread(s); load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  const gflops: number[] = [await matMulGflops()];
  const trainRates: number[] = [];
  const inferRates: number[] = [];
  const mcSeconds: number[] = [];
  const confidNetRates: number[] = [];
  for (let run = 0; run < args.runs; run++) {
    const net = LeNet.create({ dropout: 0.5, seed: run });
    // Warm-up: the first batches pay for XNNPACK operator creation and JIT compilation.
    const warm = { pixels: train.pixels, labels: train.labels, count: batchSize * 3 };
    await trainClassifier(net, warm, { epochs: 1, batchSize, learningRate: 1e-3, seed: run, threads });
    const timed = {
      pixels: train.pixels.subarray(batchSize * 3 * 784),
      labels: train.labels.subarray(batchSize * 3),
      count: batchSize * args.trainBatches,
    };
    const t = await trainClassifier(net, timed, { epochs: 1, batchSize, learningRate: 1e-3, seed: run, threads });
    trainRates.push(timed.count / t.seconds);

    await predictProbs(net, test.pixels, Math.min(1000, inferCount), { batchSize: 1000, threads });
    let t0 = performance.now();
    await predictProbs(net, test.pixels, inferCount, { batchSize: 1000, threads });
    inferRates.push(inferCount / ((performance.now() - t0) / 1000));

    t0 = performance.now();
    await mcDropoutProbs(net, test.pixels, mcCount, { passes: args.mcPasses, batchSize: 256, seed: run, threads });
    mcSeconds.push((performance.now() - t0) / 1000);
    confidNetRates.push(await confidNetRate(net, train.pixels, train.labels, batchSize * args.trainBatches, threads));
    net.dispose();
    gflops.push(await matMulGflops());
    log(
      `run ${run + 1}: train ${trainRates[run].toFixed(0)} img/s, infer ${inferRates[run].toFixed(0)} img/s, ` +
        `MC dropout T=${args.mcPasses} over ${mcCount} images ${mcSeconds[run].toFixed(1)} s, ` +
        `ConfidNet train ${confidNetRates[run].toFixed(0)} img/s (tensors ${tf.memory().numTensors}); ` +
        `host check ${gflops[run + 1].toFixed(1)} GFLOP/s`,
    );
  }
  const result = {
    backend: info.name,
    simd: info.simd,
    threads,
    runs: args.runs,
    batchSize,
    trainImagesPerSec: Math.round(median(trainRates)),
    inferImagesPerSec: Math.round(median(inferRates)),
    mcDropoutT100Seconds: Number(median(mcSeconds).toFixed(2)),
    confidNetTrainImagesPerSec: Math.round(median(confidNetRates)),
    mcPasses: args.mcPasses,
    mcImages: mcCount,
    loadAverage: loadavg()[0],
    matMulGflops: Number(median(gflops).toFixed(1)),
  };
  await shutdownWorkers();
  if (args.json) console.log(JSON.stringify(result));
  else {
    log(
      `median of ${args.runs}: train ${result.trainImagesPerSec} img/s, infer ${result.inferImagesPerSec} img/s, ` +
        `MC dropout ${result.mcDropoutT100Seconds} s, ConfidNet train ${result.confidNetTrainImagesPerSec} img/s; load average now ${loadavg()[0].toFixed(2)}; ` +
        `host check ${result.matMulGflops} GFLOP/s (matMul 2048×800×500, one thread)`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
