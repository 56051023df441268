import { deserializeWeights, serializeWeights } from '@rdl/models';
import { initBackend } from '@rdl/runtime';
import { confidNetScores, trainConfidNet, trueClassProbability, type ConfidNetData } from '@rdl/uncertainty';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { predict } from './predict.js';
import { intColumn, matrixColumn, perImageTable } from './tables.js';

// A training stage: no @rdl/eval. The epoch is chosen by validation MSE(σ(z), TCP), computed
// inside trainConfidNet, so editing evaluation code never retrains the branch.

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
  seconds: z.number(),
});
export type ConfidNetHistory = z.infer<typeof historySchema>;

function confidNetData(table: Table, what: string): ConfidNetData & { errors: number } {
  const features = matrixColumn(table, 'features', what).values;
  const probs = matrixColumn(table, 'probs', what).values;
  const labels = intColumn(table, 'label', what);
  const tcp = trueClassProbability(probs, labels, 10);
  let errors = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (probs[i * 10 + c]! > probs[i * 10 + best]!) best = c;
    if (best !== labels[i]) errors++;
  }
  return { features, tcp, errors };
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
    const train = confidNetData(inputs.predict.trainFeatures, 'predict trainFeatures');
    const validation = confidNetData(inputs.predict.validationFeatures, 'predict validationFeatures');
    const meanTcp = train.tcp.reduce((a, b) => a + b, 0) / train.tcp.length;
    log(`train ${train.tcp.length} (${train.errors} errors, mean TCP ${meanTcp.toFixed(4)}), validation ${validation.tcp.length} (${validation.errors} errors)`);
    const bar = progress(`ConfidNet (${config.epochs} epochs)`, config.epochs);
    const started = Date.now();
    const result = await trainConfidNet(
      { features: train.features, tcp: train.tcp },
      {
        validation: { features: validation.features, tcp: validation.tcp },
        epochs: config.epochs,
        batchSize: config.batchSize,
        learningRate: config.learningRate,
        seed: seed + 51,
        onProgress: (e) => bar.tick(e.epoch, `train MSE ${e.trainLoss.toExponential(3)} val MSE ${e.valLoss.toExponential(3)}`),
      },
    );
    bar.done();
    const seconds = (Date.now() - started) / 1000;
    log(`best epoch ${result.bestEpoch} of ${config.epochs}, ${seconds.toFixed(1)} s`);
    record('trainSeconds', Number(seconds.toFixed(1)));
    const testFeatures = matrixColumn(inputs.predict.testFeatures, 'features', 'predict testFeatures').values;
    const serialized = serializeWeights(result.weights);
    // Round trip: the scores are those of the weights on disk.
    const scores = confidNetScores(deserializeWeights(serialized.manifest, serialized.data), testFeatures);
    return {
      weights: serialized,
      history: {
        trainOn: config.trainOn,
        trainImages: train.tcp.length,
        trainErrors: train.errors,
        validationImages: validation.tcp.length,
        validationErrors: validation.errors,
        meanTrainTcp: meanTcp,
        epochs: config.epochs,
        batchSize: config.batchSize,
        learningRate: config.learningRate,
        bestEpoch: result.bestEpoch,
        selection: 'lowest validation MSE(σ(z), TCP)',
        history: result.history.map(({ epoch, trainLoss, valLoss }) => ({ epoch, trainLoss, valLoss })),
        seconds,
      },
      scores: perImageTable(scores.values.length, { confidnet: scores.values }),
    };
  },
});
