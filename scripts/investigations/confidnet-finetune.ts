/**
 * ConfidNet's phase 2 judged on VALIDATION only (never the test split): from the trained LeNet of
 * artifacts/week3/train-lenet, the split of artifacts/week3/mnist and the phase-1 branch of
 * artifacts/week3/train-confidnet (run with fineTune off), it fine-tunes a copy of LeNet's encoder
 * with the branch (dropout off) at each learning rate given and prints the validation AUPR-Error
 * per epoch on the stage's selection half, with the seconds per epoch.
 *
 *   nice -n 10 npx tsx --conditions=rdl-source scripts/investigations/confidnet-finetune.ts \
 *     [--epochs N] [--lr 1e-6,1e-5] [--batch-size N] [--frozen-encoder] [--threads N]
 *
 * `--threads` sets the threads of the fine-tuning steps and the validation scoring (default
 * `RDL_THREADS` or min(2, cores), as in the stage).
 *
 * Public package APIs only; the data and the seeds are the stage's (config seed 0).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { tableFromIPC } from 'apache-arrow';
import { createRng, deriveSeed } from '@rdl/core';
import { imageSetFromTable } from '@rdl/data';
import { deserializeWeights, hiddenFeatures, LeNet, lenetHeadWeights, trunkFeatures, type LeNetWeights } from '@rdl/models';
import { defaultThreads, initBackend, shutdownWorkers } from '@rdl/runtime';
import { auprError, confidNetScores, fineTuneConfidNet, hasEncoderCopy, lenetConfidNetData, type ConfidNetWeights } from '@rdl/uncertainty';

/**
 * Paired bootstrap of AUPR-Error(b) − AUPR-Error(a) over the selection half's images: the 95 %
 * interval of the difference, i.e. how much of a gain the 25 or so validation errors can resolve.
 */
function pairedInterval(errors: Uint8Array, a: Float32Array, b: Float32Array, resamples: number, seed: number): [number, number] {
  const rng = createRng(seed);
  const n = errors.length;
  const diffs: number[] = [];
  const e = new Uint8Array(n);
  const sa = new Float32Array(n);
  const sb = new Float32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const j = rng.int(n);
      e[i] = errors[j];
      sa[i] = a[j];
      sb[i] = b[j];
    }
    if (e.every((v) => v === 0)) continue;
    diffs.push(auprError(e, sb) - auprError(e, sa));
  }
  diffs.sort((x, y) => x - y);
  return [diffs[Math.floor(0.025 * diffs.length)], diffs[Math.floor(0.975 * diffs.length)]];
}

function args(): { epochs: number; lrs: number[]; batchSize: number; frozenEncoder: boolean; threads: number | undefined } {
  const argv = process.argv.slice(2);
  const out = { epochs: 3, lrs: [1e-6, 1e-5], batchSize: 128, frozenEncoder: false, threads: undefined as number | undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--epochs') out.epochs = Number(argv[++i]);
    else if (argv[i] === '--lr') out.lrs = (argv[++i] ?? '').split(',').map(Number);
    else if (argv[i] === '--batch-size') out.batchSize = Number(argv[++i]);
    // The control: the same continuation with the encoder copy frozen (the branch alone, dropout off).
    else if (argv[i] === '--frozen-encoder') out.frozenEncoder = true;
    else if (argv[i] === '--threads') out.threads = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(out.epochs) || out.epochs < 1) throw new Error('--epochs needs a positive integer');
  if (out.lrs.some((lr) => !(lr > 0))) throw new Error('--lr needs positive numbers, comma-separated');
  if (out.threads !== undefined && !(Number.isInteger(out.threads) && out.threads > 0))
    throw new Error('--threads needs a positive integer');
  return out;
}

const root = process.cwd();
const outputs = (stage: string) => join(root, 'artifacts/week3', stage, 'outputs');
const readTable = (stage: string, name: string) => tableFromIPC(readFileSync(join(outputs(stage), `${name}.arrow`)));
const readWeights = (stage: string) =>
  deserializeWeights(
    readFileSync(join(outputs(stage), 'weights.manifest.json'), 'utf8'),
    new Uint8Array(readFileSync(join(outputs(stage), 'weights.bin'))),
  );

async function main(): Promise<void> {
  const o = args();
  const backend = await initBackend();
  const lenetHistory = JSON.parse(readFileSync(join(outputs('train-lenet'), 'history.json'), 'utf8')) as {
    model: { dropout: number; seed: number };
  };
  const cn = JSON.parse(readFileSync(join(outputs('train-confidnet'), 'history.json'), 'utf8')) as {
    trainOn: 'train' | 'validation-fit' | 'train+validation-fit';
    trainingDropout: number;
    bestEpoch: number;
    history: { epoch: number; valAuprError: number }[];
  };
  const branch = readWeights('train-confidnet') as ConfidNetWeights;
  if (hasEncoderCopy(branch)) throw new Error('artifacts/week3/train-confidnet holds a fine-tuned copy: rerun it with fineTune.epochs 0');
  const model = LeNet.create(lenetHistory.model);
  const lenet = readWeights('train-lenet') as LeNetWeights;
  model.setWeights(lenet);
  const seed = 0; // the week-3 config's seed
  const set = (name: string) => imageSetFromTable(readTable('mnist', name), `mnist ${name}`);
  const trainSet = set('train');
  const validationSet = set('validation');
  const trunkOf = async (s: ReturnType<typeof set>) => ({
    trunk: await trunkFeatures(model, s.pixels, s.count, { batchSize: 1000 }),
    labels: s.labels,
  });
  const data = lenetConfidNetData({
    head: lenetHeadWeights(model),
    dropout: cn.trainingDropout,
    train: await trunkOf(trainSet),
    validation: await trunkOf(validationSet),
    trainOn: cn.trainOn,
    splitSeed: deriveSeed(seed, 'week3/train-confidnet/validation-split'),
    images: { train: trainSet.pixels, validation: validationSet.pixels },
  });
  const ft = data.fineTune!;
  console.log(`# ConfidNet phase 2 on validation (${new Date().toISOString()})`);
  console.log(
    `backend ${backend.name}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; learn from ${cn.trainOn}: ${ft.train.count} images; selection half ${ft.validation.count} images, ` +
      `${ft.validation.errors.reduce((s, e) => s + e, 0)} errors; batch ${o.batchSize}, ${o.epochs} epochs; threads ${o.threads ?? `default (${defaultThreads(backend.name)})`}; ${o.frozenEncoder ? 'CONTROL: encoder copy frozen, branch only' : 'encoder copy + branch'}`,
  );
  console.log(
    `phase 1 (artifacts/week3/train-confidnet): best epoch ${cn.bestEpoch} of ${cn.history.length}, validation AUPR-Error ` +
      `${(100 * cn.history[cn.bestEpoch - 1].valAuprError).toFixed(2)} %`,
  );
  console.log('');
  console.log(
    '| lr | val AUPR-Error % per epoch (0 = phase 1 on the copy) | best epoch | best − epoch 0 (points) | best − epoch 0, 95 % paired bootstrap | s / epoch |',
  );
  console.log('|---|---|---|---|---|---|');
  const scoresOf = async (encoder: LeNetWeights, weights: ConfidNetWeights): Promise<Float32Array> => {
    const net = LeNet.create(lenetHistory.model);
    net.setWeights(encoder);
    const features = await hiddenFeatures(net, ft.validation.pixels, ft.validation.count, { batchSize: 1000 });
    net.dispose();
    return confidNetScores(weights, features).values;
  };
  const phase1Scores = await scoresOf(lenet, branch);
  for (const lr of o.lrs) {
    const started = performance.now();
    const r = await fineTuneConfidNet(
      { lenet, dropout: model.config.dropout, branch, ...ft },
      {
        epochs: o.epochs,
        learningRate: lr,
        batchSize: o.batchSize,
        seed: deriveSeed(seed, 'week3/train-confidnet/fine-tune'),
        trainEncoder: !o.frozenEncoder,
        threads: o.threads,
        onProgress: (e) =>
          console.error(
            `  lr ${lr} epoch ${e.epoch}: val AUPR-Error ${(100 * e.valAuprError).toFixed(2)} % (${((performance.now() - started) / 1000).toFixed(0)} s)`,
          ),
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const curve = r.history.map((e) => 100 * e.valAuprError);
    // The interval compares the best fine-tuned epoch (epoch 0 excluded) with phase 1: the noise of the gain.
    const tuned = r.bestEpoch > 0 ? await scoresOf(r.encoder, r.weights) : undefined;
    const interval = tuned
      ? pairedInterval(ft.validation.errors, phase1Scores, tuned, 1000, deriveSeed(seed, 'investigations/confidnet-finetune/bootstrap'))
      : undefined;
    console.log(
      `| ${lr} | ${curve.map((v) => v.toFixed(2)).join(' → ')} | ${r.bestEpoch} | ${(curve[r.bestEpoch] - curve[0]).toFixed(2)} | ` +
        `${interval ? `[${(100 * interval[0]).toFixed(2)}, ${(100 * interval[1]).toFixed(2)}]` : '— (phase 1 kept)'} | ${(seconds / o.epochs).toFixed(0)} |`,
    );
  }
  model.dispose();
  await shutdownWorkers();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
