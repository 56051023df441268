/**
 * `rdl web export`: what the browser digit lab (apps/web) loads, from what `pipeline:week3`
 * trained — the LeNet and ConfidNet checkpoints as they are, ODIN's chosen (T, ε), the two flag
 * thresholds chosen on the validation split (95 % of correct, respectively in-distribution,
 * validation images kept) and seeded samples of MNIST test, Fashion-MNIST and failure images.
 * Written as model/model.js (`self.RDL_MODEL = …`), a classic script, so a page opened from
 * file:// can load it.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { argmaxRows, createRng, deriveSeed, makeScore, permutation } from '@rdl/core';
import { imageSetFromTable, type ImageSet } from '@rdl/data';
import { keepThreshold } from '@rdl/eval';
import { deserializeWeights, hiddenFeatures, lenetHeadFromTrunk, lenetHeadWeights, trunkFeatures } from '@rdl/models';
import { findPipeline, intColumn, lenetFromArtifact, odinBatches, readOutputs, type BinaryArtifact } from '@rdl/pipeline';
import { initBackend } from '@rdl/runtime';
import { confidNetEncoder, createConfidNet, createOdin, type ConfidNetWeights } from '@rdl/uncertainty';
import type { Table } from 'apache-arrow';
import { z } from 'zod';

/**
 * The stage whose `choice` output gives ODIN's (T, ε) for the page: the OOD-free tuning (on
 * synthetic OOD made from MNIST validation images), so the flag has seen no real OOD data.
 */
export const WEB_ODIN_CHOICE_STAGE = 'odin-select-ood-free';

/** Fraction of the reference validation images each flag keeps unflagged. */
export const WEB_FLAG_KEEP = 0.95;

const choiceSchema = z.object({ temperature: z.number().positive(), epsilon: z.number().min(0), criterion: z.string() });
const lenetHistorySchema = z.object({ model: z.object({ dropout: z.number(), seed: z.number().int() }), epochs: z.number().int() });
const confidnetHistorySchema = z.object({
  epochs: z.number().int(),
  bestEpoch: z.number().int(),
  fineTune: z.object({ epochs: z.number().int(), bestEpoch: z.number().int() }).nullable(),
});

export interface WebExportOptions {
  root: string;
  /** Folder to write model.js into. */
  out: string;
  /** Config profile the artifacts were made with (stated on the page). */
  config: string;
  samples: number;
  failures: number;
  seed: number;
  log: (line: string) => void;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

async function outputsOf(root: string, stage: string): Promise<Record<string, unknown>> {
  const pipeline = findPipeline('week3');
  const found = pipeline.stages.find((s) => s.name === stage);
  if (!found) throw new Error(`week3 has no stage '${stage}'`);
  return readOutputs(root, 'week3', stage, found.outputs);
}

function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`${where}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
}

/** `count` seeded images of `set` (all of them if it has fewer), with their labels. */
function sampleOf(set: ImageSet, indices: ArrayLike<number>, count: number, seed: number) {
  const order = permutation(indices.length, createRng(seed));
  const chosen = Array.from(order.subarray(0, Math.min(count, indices.length)), (k) => indices[k]!);
  const pixels = new Uint8Array(chosen.length * 784);
  chosen.forEach((i, j) => pixels.set(set.pixels.subarray(i * 784, (i + 1) * 784), j * 784));
  return { count: chosen.length, pixels: b64(pixels), labels: chosen.map((i) => set.labels[i]!) };
}

export async function webExport(options: WebExportOptions): Promise<string> {
  const { root, log } = options;
  const lenetOut = await outputsOf(root, 'train-lenet');
  const confidnetOut = await outputsOf(root, 'train-confidnet');
  const choice = parse(choiceSchema, (await outputsOf(root, WEB_ODIN_CHOICE_STAGE)).choice, `week3 ${WEB_ODIN_CHOICE_STAGE} choice`);
  const predictOut = await outputsOf(root, 'predict');
  const mnistOut = await outputsOf(root, 'mnist');
  const oodOut = await outputsOf(root, 'ood-data');
  const lenetHistory = parse(lenetHistorySchema, lenetOut.history, 'week3 train-lenet history');
  const confidnetHistory = parse(confidnetHistorySchema, confidnetOut.history, 'week3 train-confidnet history');
  const lenetWeights = lenetOut.weights as BinaryArtifact;
  const confidnetWeights = confidnetOut.weights as BinaryArtifact;
  await initBackend();
  const validation = imageSetFromTable(mnistOut.validation as Table, 'mnist validation');
  const model = lenetFromArtifact(lenetWeights, lenetHistory.model);
  let errorThreshold;
  let oodThreshold;
  let validationCorrect: number;
  try {
    // Flag 1, "likely wrong": ConfidNet on the validation images, dropout off, keeping 95 % of the
    // ones LeNet classifies correctly.
    const { hidden, probs } = lenetHeadFromTrunk(
      lenetHeadWeights(model),
      await trunkFeatures(model, validation.pixels, validation.count, { batchSize: 1000 }),
    );
    const predicted = argmaxRows(probs, probs.length / validation.count);
    const correct = Array.from(predicted.keys()).filter((i) => predicted[i] === validation.labels[i]);
    validationCorrect = correct.length;
    // ConfidNet scores the features it was trained on: those of its fine-tuned encoder copy when the
    // weights hold one (phase 2), else LeNet's own (as train-confidnet scores the test images).
    const record = deserializeWeights(confidnetWeights.manifest, confidnetWeights.data) as ConfidNetWeights;
    const scorer = confidNetEncoder(record, model);
    let confidence: Float32Array;
    try {
      const features = scorer.isCopy
        ? await hiddenFeatures(scorer.encoder, validation.pixels, validation.count, { batchSize: 1000 })
        : hidden;
      confidence = (await createConfidNet({ weights: record }).score(features)).values;
    } finally {
      scorer.dispose();
    }
    errorThreshold = keepThreshold(
      makeScore(
        'confidnet',
        Float32Array.from(correct, (i) => confidence[i]!),
        'higher-is-more-confident',
      ),
      'error',
      WEB_FLAG_KEEP,
    );
    // Flag 2, "likely OOD": ODIN at the chosen (T, ε) on all MNIST validation images, keeping 95 %.
    const odin = createOdin((x) => model.logits(x, { training: false }), { batchSize: 256 });
    const odinScore = await odin.score(odinBatches(validation), { temperature: choice.temperature, epsilon: choice.epsilon });
    oodThreshold = keepThreshold(odinScore, 'ood', WEB_FLAG_KEEP);
  } finally {
    model.dispose();
  }
  log(
    `likely wrong: ConfidNet ${errorThreshold.flagWhen} ${errorThreshold.threshold.toFixed(4)} (keeps ${(100 * errorThreshold.kept).toFixed(1)} % of ${validationCorrect} correct validation images)`,
  );
  log(
    `likely OOD: ODIN (T = ${choice.temperature}, ε = ${choice.epsilon}) ${oodThreshold.flagWhen} ${oodThreshold.threshold} (keeps ${(100 * oodThreshold.kept).toFixed(1)} % of ${validation.count} validation images)`,
  );

  const test = imageSetFromTable(mnistOut.test as Table, 'mnist test');
  const ood = imageSetFromTable(oodOut.test as Table, 'ood test');
  const testTable = predictOut.test as Table;
  const predicted = intColumn(testTable, 'predicted', 'predict test');
  const testLabels = intColumn(testTable, 'label', 'predict test');
  const failures = Array.from(predicted.keys()).filter((i) => predicted[i] !== testLabels[i]);
  const all = (n: number) => Array.from({ length: n }, (_, i) => i);
  const bundle = {
    version: 1,
    source: {
      config: options.config,
      lenetEpochs: lenetHistory.epochs,
      confidnetEpochs: confidnetHistory.epochs,
      confidnetBestEpoch: confidnetHistory.bestEpoch,
      confidnetPhase2: confidnetHistory.fineTune && {
        bestEpoch: confidnetHistory.fineTune.bestEpoch,
        epochs: confidnetHistory.fineTune.epochs,
      },
      validationImages: validation.count,
      validationAccuracy: validationCorrect / validation.count,
      odinStage: WEB_ODIN_CHOICE_STAGE,
    },
    lenet: { manifest: lenetWeights.manifest, base64: b64(lenetWeights.data), ...lenetHistory.model },
    confidnet: { manifest: confidnetWeights.manifest, base64: b64(confidnetWeights.data) },
    odin: { temperature: choice.temperature, epsilon: choice.epsilon, criterion: choice.criterion },
    thresholds: { error: errorThreshold, ood: oodThreshold },
    samples: {
      mnist: sampleOf(test, all(test.count), options.samples, deriveSeed(options.seed, 'web/export/mnist')),
      fashion: sampleOf(ood, all(ood.count), options.samples, deriveSeed(options.seed, 'web/export/fashion')),
      failures: sampleOf(test, failures, options.failures, deriveSeed(options.seed, 'web/export/failures')),
    },
  };
  const out = resolve(root, options.out);
  await mkdir(out, { recursive: true });
  const file = join(out, 'model.js');
  // Written whole, then renamed: a failed export never leaves half a model.js.
  await writeFile(`${file}.tmp`, `self.RDL_MODEL = ${JSON.stringify(bundle)};\n`);
  await rename(`${file}.tmp`, file);
  log(
    `wrote ${relative(root, file)}: ${bundle.samples.mnist.count} MNIST, ${bundle.samples.fashion.count} Fashion-MNIST, ${bundle.samples.failures.count} failure images`,
  );
  return file;
}
