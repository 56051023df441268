import { imageSetFromTable, type ImageSet } from '@rdl/data';
import { argmaxRows, deriveSeed } from '@rdl/core';
import { hiddenFeatures, mcDropoutProbs, type LeNet } from '@rdl/models';
import { defaultThreads, initBackend } from '@rdl/runtime';
import { createMcDropout, type StochasticClassifier } from '@rdl/uncertainty';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import type { Progress } from '../../core/stage.js';
import { defineStage } from '../../core/stage.js';
import { lenetFromArtifact } from './lenet-checkpoint.js';
import { mcColumns } from './mc-table.js';
import { mnist } from './mnist.js';
import { oodData } from './ood-data.js';
import { perImageTable } from './tables.js';
import { trainLenet } from './train-lenet.js';

/**
 * Features and deterministic probabilities of a set in one trunk pass: the probabilities are
 * LeNet's last layer applied to the features, so the convolutions run once.
 */
async function featuresAndProbs(model: LeNet, set: ImageSet, batchSize: number) {
  const features = await hiddenFeatures(model, set.pixels, set.count, { batchSize });
  const probs = model.probsFromHidden(features, set.count);
  return { features, probs, predicted: argmaxRows(probs, model.numClasses) };
}

/**
 * LeNet on pixel batches as a stochastic classifier: its fused MC-dropout path (trunk once, head T
 * times, split over the threads) gives all T passes; one pass is the same path with T = 1.
 */
function lenetSampler(model: LeNet, batchSize: number): StochasticClassifier<ImageSet> {
  return {
    numClasses: model.numClasses,
    sample: (set, seed) => mcDropoutProbs(model, set.pixels, set.count, { passes: 1, batchSize, seed }),
    samplePasses: (set, passes, seed) => mcDropoutProbs(model, set.pixels, set.count, { passes, batchSize, seed }),
  };
}

/** MCP and MC-dropout columns of one set; T×N×C lives only inside the MC-dropout method. */
async function uncertaintyTable(
  model: LeNet,
  set: ImageSet,
  out: { probs: Float32Array; predicted: Int32Array },
  options: { passes: number; batchSize: number; seed: number },
  bar: Progress,
): Promise<Table> {
  const mcDropout = createMcDropout(lenetSampler(model, options.batchSize), { passes: options.passes, seed: options.seed });
  const mc = mcColumns(await mcDropout.summarize(set));
  bar.tick(1);
  return perImageTable(
    set.count,
    { label: Int32Array.from(set.labels), predicted: out.predicted, ...mc.scalars },
    { probs: { values: out.probs, width: model.numClasses }, ...mc.matrices },
  );
}

export const predict = defineStage({
  name: 'predict',
  description:
    'Week 3: the trained LeNet on MNIST test, validation and OOD test — MCP probabilities (dropout off), and MC dropout summaries (T passes: mean probabilities, votes, variation ratio, entropy, MI); ConfidNet computes its own features in memory',
  module: import.meta.url,
  config: z.strictObject({
    /** T, the number of stochastic passes. */
    passes: z.number().int().min(1).default(100),
    /** Images per MC-dropout batch (T×batch×10 probabilities are held at once per batch inside the model). */
    mcBatchSize: z.number().int().min(1).default(500),
    batchSize: z.number().int().min(1).default(1000),
  }),
  needs: { trainLenet, mnist, oodData },
  outputs: {
    test: artifact.table(),
    ood: artifact.table(),
    validation: artifact.table(),
  },
  async run({ config, seed, inputs, progress, record, log }) {
    const backend = await initBackend();
    record('backend', backend.name);
    record('threads', defaultThreads(backend.name));
    const model = lenetFromArtifact(inputs.trainLenet.weights, inputs.trainLenet.history.model);
    try {
      const validation = imageSetFromTable(inputs.mnist.validation, 'mnist validation');
      const test = imageSetFromTable(inputs.mnist.test, 'mnist test');
      const ood = imageSetFromTable(inputs.oodData.test, 'ood test');
      const featureBar = progress('MCP, dropout off (validation, test, OOD)', 3);
      let started = Date.now();
      const valOut = await featuresAndProbs(model, validation, config.batchSize);
      featureBar.tick(1);
      const testOut = await featuresAndProbs(model, test, config.batchSize);
      featureBar.tick(2);
      const oodOut = await featuresAndProbs(model, ood, config.batchSize);
      featureBar.done();
      const featureSeconds = (Date.now() - started) / 1000;
      const images = validation.count + test.count + ood.count;
      log(`deterministic pass over ${images} images: ${featureSeconds.toFixed(1)} s (${Math.round(images / featureSeconds)} img/s)`);
      record('deterministicSeconds', Number(featureSeconds.toFixed(1)));

      started = Date.now();
      const mcBar = progress(`MC dropout, T = ${config.passes} (test, OOD)`, 2);
      const testTable = await uncertaintyTable(
        model,
        test,
        testOut,
        { passes: config.passes, batchSize: config.mcBatchSize, seed: deriveSeed(seed, 'week3/predict/mc-test') },
        mcBar,
      );
      const oodTable = await uncertaintyTable(
        model,
        ood,
        oodOut,
        { passes: config.passes, batchSize: config.mcBatchSize, seed: deriveSeed(seed, 'week3/predict/mc-ood') },
        mcBar,
      );
      mcBar.done();
      const mcSeconds = (Date.now() - started) / 1000;
      log(`MC dropout T = ${config.passes} over ${test.count + ood.count} images: ${mcSeconds.toFixed(1)} s`);
      record('mcDropoutSeconds', Number(mcSeconds.toFixed(1)));

      return {
        test: testTable,
        ood: oodTable,
        validation: perImageTable(
          validation.count,
          { label: Int32Array.from(validation.labels), predicted: valOut.predicted },
          { probs: { values: valOut.probs, width: model.numClasses } },
        ),
      };
    } finally {
      model.dispose();
    }
  },
});
