import { deriveSeed } from '@rdl/core';
import { deserializeWeights, serializeWeights } from '@rdl/models';
import { initBackend } from '@rdl/runtime';
import { confidNetData, createConfidNet } from '@rdl/uncertainty';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { predict } from './predict.js';
import { intColumn, matrixColumn, perImageTable } from './tables.js';

// A training stage: no @rdl/eval. The epoch is chosen by validation MSE(σ(z), TCP), computed
// inside ConfidNet's fit, so editing evaluation code never retrains the branch. The training time
// is a run fact: it goes to the manifest, never into outputs/.

const historySchema = z.object({
  trainOn: z.string(),
  trainImages: z.number().int(),
  trainErrors: z.number().int(),
  validationImages: z.number().int(),
  validationErrors: z.number().int(),
  meanTrainTcp: z.number(),
  epochs: z.number().int(),
  batchSize: z.number().int(),
  learningRate: z.number(),
  bestEpoch: z.number().int(),
  selection: z.string(),
  history: z.array(z.object({ epoch: z.number().int(), trainLoss: z.number(), valLoss: z.number() })),
});
export type ConfidNetHistory = z.infer<typeof historySchema>;

/** Features, TCP targets and error count of one split, from predict's columns (C is the probabilities' width). */
function dataOf(table: Table, what: string) {
  const probs = matrixColumn(table, 'probs', what);
  return confidNetData({
    features: matrixColumn(table, 'features', what).values,
    probs: probs.values,
    labels: intColumn(table, 'label', what),
    numClasses: probs.width,
  });
}

export const trainConfidNetStage = defineStage({
  name: 'train-confidnet',
  description:
    'Week 3 II: ConfidNet branch (500→400→400→400→400→1) on the frozen LeNet features, MSE between σ(output) and the true-class probability. ' +
    'Trained on the training split as in the paper (it holds ~5× more misclassified images than the 5k validation split, whose errors we keep unseen so the epoch choice is honest); epoch chosen by validation MSE.',
  module: import.meta.url,
  config: z.strictObject({
    /** Data the branch learns from; the validation split only picks the epoch. */
    trainOn: z.enum(['train']).default('train'),
    epochs: z.number().int().min(1).default(10),
    batchSize: z.number().int().min(1).default(128),
    learningRate: z.number().positive().default(1e-4),
  }),
  needs: { predict },
  outputs: { weights: artifact.binary(), history: artifact.json(historySchema), scores: artifact.table() },
  async run({ config, seed, inputs, progress, record, log }) {
    const backend = await initBackend();
    record('backend', backend.name);
    const train = dataOf(inputs.predict.trainFeatures, 'predict trainFeatures');
    const validation = dataOf(inputs.predict.validationFeatures, 'predict validationFeatures');
    log(
      `train ${train.tcp.length} (${train.errors} errors, mean TCP ${train.meanTcp.toFixed(4)}), validation ${validation.tcp.length} (${validation.errors} errors)`,
    );
    const bar = progress(`ConfidNet (${config.epochs} epochs)`, config.epochs);
    const started = Date.now();
    const confidNet = createConfidNet({
      seed: deriveSeed(seed, 'week3/train-confidnet'),
      defaults: { epochs: config.epochs, batchSize: config.batchSize, learningRate: config.learningRate },
      onProgress: (e) => bar.tick(e.epoch, `train MSE ${e.trainLoss.toExponential(3)} val MSE ${e.valLoss.toExponential(3)}`),
    });
    await confidNet.fit({ train, validation });
    bar.done();
    const seconds = (Date.now() - started) / 1000;
    const { bestEpoch, history } = confidNet.training!;
    log(`best epoch ${bestEpoch} of ${config.epochs}, ${seconds.toFixed(1)} s`);
    record('trainSeconds', Number(seconds.toFixed(1)));
    const testFeatures = matrixColumn(inputs.predict.testFeatures, 'features', 'predict testFeatures').values;
    const serialized = serializeWeights(confidNet.weights!);
    // Round trip: the scores are those of the weights on disk.
    const scores = await createConfidNet({ weights: deserializeWeights(serialized.manifest, serialized.data) }).score(testFeatures);
    return {
      weights: serialized,
      history: {
        trainOn: config.trainOn,
        trainImages: train.tcp.length,
        trainErrors: train.errors,
        validationImages: validation.tcp.length,
        validationErrors: validation.errors,
        meanTrainTcp: train.meanTcp,
        epochs: config.epochs,
        batchSize: config.batchSize,
        learningRate: config.learningRate,
        bestEpoch,
        selection: 'lowest validation MSE(σ(z), TCP)',
        history: history.map(({ epoch, trainLoss, valLoss }) => ({ epoch, trainLoss, valLoss })),
      },
      scores: perImageTable(scores.values.length, {}, {}, { confidnet: scores }),
    };
  },
});
