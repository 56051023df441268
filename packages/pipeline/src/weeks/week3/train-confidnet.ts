import { deriveSeed } from '@rdl/core';
import { imageSetFromTable, type ImageSet } from '@rdl/data';
import {
  deserializeWeights,
  hiddenFeatures,
  LeNet,
  lenetHeadFromTrunk,
  lenetHeadWeights,
  serializeWeights,
  trunkFeatures,
} from '@rdl/models';
import { defaultThreads, initBackend } from '@rdl/runtime';
import {
  CONFIDNET_TRAIN_ON,
  createConfidNet,
  confidNetEncoder,
  fineTuneConfidNet,
  lenetConfidNetData,
  withEncoderCopy,
  type ConfidNetWeights,
} from '@rdl/uncertainty';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { lenetFromArtifact } from './lenet-checkpoint.js';
import { mnist } from './mnist.js';
import { perImageTable } from './tables.js';
import { trainLenet } from './train-lenet.js';

// A training stage: no @rdl/eval. The epoch is chosen by validation AUPR-Error computed inside
// ConfidNet's fit with @rdl/core's average precision, so editing evaluation code never retrains
// the branch. The training time is a run fact: it goes to the manifest, never into outputs/.

const historySchema = z.object({
  trainOn: z.enum(CONFIDNET_TRAIN_ON),
  /** Dropout of the frozen LeNet head while the branch trains (the authors keep it active). */
  trainingDropout: z.number(),
  trainImages: z.number().int(),
  /** Errors of the deterministic LeNet on the images the branch learns from. */
  trainErrors: z.number().int(),
  /** The selection half of the validation split: images and deterministic errors. */
  validationImages: z.number().int(),
  validationErrors: z.number().int(),
  /** MCP's AUPR-Error on the same selection half (the deterministic LeNet's own confidence): the bar to clear. */
  validationMcpAuprError: z.number(),
  meanTrainTcp: z.number(),
  /** Epochs trained (≤ maxEpochs). */
  epochs: z.number().int(),
  maxEpochs: z.number().int(),
  patience: z.number().int().nullable(),
  stopped: z.enum(['max-epochs', 'patience']),
  batchSize: z.number().int(),
  learningRate: z.number(),
  bestEpoch: z.number().int(),
  selectBy: z.enum(['aupr-error', 'mse']),
  selection: z.string(),
  /** The validation curve, one entry per epoch (AUPR-Error in [0, 1], errors positive, dropout off). */
  history: z.array(z.object({ epoch: z.number().int(), trainLoss: z.number(), valLoss: z.number(), valAuprError: z.number() })),
  /**
   * Phase 2 (a copy of LeNet's encoder fine-tuned with the branch, dropout off), or null when off.
   * Epoch 0 is phase 1's result; `bestEpoch` 0 means phase 1 was kept (and the weights hold no copy).
   */
  fineTune: z
    .object({
      maxEpochs: z.number().int(),
      epochs: z.number().int(),
      patience: z.number().int().nullable(),
      stopped: z.enum(['max-epochs', 'patience']),
      learningRate: z.number(),
      batchSize: z.number().int(),
      bestEpoch: z.number().int(),
      history: z.array(
        z.object({ epoch: z.number().int(), trainLoss: z.number().nullable(), valLoss: z.number(), valAuprError: z.number() }),
      ),
    })
    .nullable(),
});
export type ConfidNetHistory = z.infer<typeof historySchema>;

async function trunkOf(model: LeNet, set: ImageSet, batchSize: number) {
  return { trunk: await trunkFeatures(model, set.pixels, set.count, { batchSize }), labels: set.labels, pixels: set.pixels };
}

export const trainConfidNetStage = defineStage({
  name: 'train-confidnet',
  description:
    'Week 3 II: ConfidNet branch (500→400→400→400→400→1) on the frozen LeNet as its authors train it: the 800-d conv output computed once in memory, ' +
    "the frozen head run per batch with fresh dropout masks, MSE between σ(output) and that pass's true-class probability; " +
    'epoch chosen, and training stopped, by AUPR-Error on a seeded selection half of the validation split (dropout off)',
  module: import.meta.url,
  config: z.strictObject({
    /** What the branch learns from; every choice is judged on the same validation selection half. */
    trainOn: z.enum(CONFIDNET_TRAIN_ON).default('train'),
    /** true: the head's dropout stays active while the branch trains (the authors' phase 1); false: deterministic inputs and TCP. */
    trainingDropout: z.boolean().default(true),
    selectBy: z.enum(['aupr-error', 'mse']).default('aupr-error'),
    maxEpochs: z.number().int().min(1).default(12),
    /** Stop after this many epochs without a better validation criterion; null = train maxEpochs. */
    patience: z.number().int().min(1).nullable().default(4),
    batchSize: z.number().int().min(1).default(128),
    learningRate: z.number().positive().default(1e-4),
    /** Images per trunk batch (the deterministic pass). */
    trunkBatchSize: z.number().int().min(1).default(1000),
    /**
     * Phase 2 of the authors: a copy of LeNet's encoder (conv1, conv2, fc1) fine-tuned with the
     * branch on the ConfidNet loss, dropout off; the classifier keeps its own encoder. epochs 0 = off
     * (the stage's default); configs/week3.json turns it on by the validation verdict in
     * docs/confidnet-protocol.md.
     */
    fineTune: z
      .strictObject({
        epochs: z.number().int().min(0).default(0),
        learningRate: z.number().positive().default(1e-6),
        batchSize: z.number().int().min(1).default(128),
        /** Stop after this many epochs without a better validation AUPR-Error (epoch 0 counts); null = every epoch. */
        patience: z.number().int().min(1).nullable().default(2),
      })
      .default({ epochs: 0, learningRate: 1e-6, batchSize: 128, patience: 2 }),
  }),
  needs: { mnist, trainLenet },
  outputs: { weights: artifact.binary(), history: artifact.json(historySchema), scores: artifact.table() },
  async run({ config, seed, inputs, progress, record, log }) {
    const backend = await initBackend();
    record('backend', backend.name);
    record('threads', defaultThreads(backend.name));
    const model = lenetFromArtifact(inputs.trainLenet.weights, inputs.trainLenet.history.model);
    try {
      let started = Date.now();
      const bar = progress('LeNet trunk, 800-d (train, validation)', 2);
      const train = await trunkOf(model, imageSetFromTable(inputs.mnist.train, 'mnist train'), config.trunkBatchSize);
      bar.tick(1);
      const validation = await trunkOf(model, imageSetFromTable(inputs.mnist.validation, 'mnist validation'), config.trunkBatchSize);
      bar.done();
      record('trunkSeconds', Number(((Date.now() - started) / 1000).toFixed(1)));
      const head = lenetHeadWeights(model);
      const trainingDropout = config.trainingDropout ? model.config.dropout : 0;
      const data = lenetConfidNetData({
        head,
        dropout: trainingDropout,
        train,
        validation,
        trainOn: config.trainOn,
        splitSeed: deriveSeed(seed, 'week3/train-confidnet/validation-split'),
        images: config.fineTune.epochs > 0 ? { train: train.pixels, validation: validation.pixels } : undefined,
      });
      const s = data.summary;
      log(
        `learn from ${config.trainOn}: ${s.trainImages} images (${s.trainErrors} deterministic errors, mean TCP ${s.meanTrainTcp.toFixed(4)}), ` +
          `dropout ${trainingDropout} while training; select on ${s.validationImages} validation images (${s.validationErrors} errors, MCP's AUPR-Error there ${(100 * s.validationMcpAuprError).toFixed(2)} %)`,
      );
      started = Date.now();
      const epochBar = progress(`ConfidNet (≤ ${config.maxEpochs} epochs)`, config.maxEpochs);
      const confidNet = createConfidNet({
        seed: deriveSeed(seed, 'week3/train-confidnet'),
        defaults: { epochs: config.maxEpochs, batchSize: config.batchSize, learningRate: config.learningRate },
        selectBy: config.selectBy,
        patience: config.patience ?? undefined,
        onProgress: (e) =>
          epochBar.tick(e.epoch, `train MSE ${e.trainLoss.toExponential(3)} val AUPR-Error ${(100 * e.valAuprError).toFixed(2)} %`),
      });
      await confidNet.fit({ train: data.train, validation: data.validation });
      epochBar.done();
      const seconds = (Date.now() - started) / 1000;
      const { bestEpoch, history, stopped } = confidNet.training!;
      log(`best epoch ${bestEpoch} of ${history.length} (${stopped}), ${seconds.toFixed(1)} s`);
      record('trainSeconds', Number(seconds.toFixed(1)));
      record('trainImagesPerSecond', Math.round((history.length * s.trainImages) / seconds));
      let weights: ConfidNetWeights = confidNet.weights!;
      let fineTune: ConfidNetHistory['fineTune'] = null;
      if (config.fineTune.epochs > 0) {
        const ft = config.fineTune;
        started = Date.now();
        const ftBar = progress(`ConfidNet phase 2, encoder copy (≤ ${ft.epochs} epochs)`, ft.epochs);
        const result = await fineTuneConfidNet(
          { lenet: model.getWeights(), dropout: model.config.dropout, branch: weights, ...data.fineTune! },
          {
            epochs: ft.epochs,
            learningRate: ft.learningRate,
            batchSize: ft.batchSize,
            patience: ft.patience ?? undefined,
            seed: deriveSeed(seed, 'week3/train-confidnet/fine-tune'),
            onProgress: (e) => {
              if (e.epoch > 0)
                ftBar.tick(e.epoch, `train MSE ${e.trainLoss!.toExponential(3)} val AUPR-Error ${(100 * e.valAuprError).toFixed(2)} %`);
            },
          },
        );
        ftBar.done();
        const ftSeconds = (Date.now() - started) / 1000;
        const ran = result.history.length - 1;
        log(`phase 2: best epoch ${result.bestEpoch} of ${ran} (0 = phase 1 kept), ${ftSeconds.toFixed(1)} s`);
        record('fineTuneSeconds', Number(ftSeconds.toFixed(1)));
        if (ran > 0) record('fineTuneSecondsPerEpoch', Number((ftSeconds / ran).toFixed(1)));
        // Only a fine-tuned epoch stores the copy: epoch 0 is phase 1, which reads LeNet's own features.
        if (result.bestEpoch > 0) weights = withEncoderCopy(result.weights, result.encoder);
        fineTune = {
          maxEpochs: ft.epochs,
          epochs: ran,
          patience: ft.patience,
          stopped: result.stopped,
          learningRate: ft.learningRate,
          batchSize: ft.batchSize,
          bestEpoch: result.bestEpoch,
          history: result.history,
        };
      }
      const serialized = serializeWeights(weights);
      // Round trip: the scores are those of the weights on disk, on the deterministic test features
      // (of the fine-tuned encoder copy when the weights hold one, else of LeNet's own encoder).
      const stored = deserializeWeights(serialized.manifest, serialized.data) as ConfidNetWeights;
      const scorer = confidNetEncoder(stored, model);
      const test = imageSetFromTable(inputs.mnist.test, 'mnist test');
      let testFeatures: Float32Array;
      try {
        testFeatures = scorer.isCopy
          ? await hiddenFeatures(scorer.encoder, test.pixels, test.count, { batchSize: config.trunkBatchSize })
          : lenetHeadFromTrunk(head, (await trunkOf(model, test, config.trunkBatchSize)).trunk).hidden;
      } finally {
        scorer.dispose();
      }
      const scores = await createConfidNet({ weights: stored }).score(testFeatures);
      return {
        weights: serialized,
        history: {
          trainOn: config.trainOn,
          trainingDropout,
          trainImages: s.trainImages,
          trainErrors: s.trainErrors,
          validationImages: s.validationImages,
          validationErrors: s.validationErrors,
          validationMcpAuprError: s.validationMcpAuprError,
          meanTrainTcp: s.meanTrainTcp,
          epochs: history.length,
          maxEpochs: config.maxEpochs,
          patience: config.patience,
          stopped,
          batchSize: config.batchSize,
          learningRate: config.learningRate,
          bestEpoch,
          selectBy: config.selectBy,
          selection:
            config.selectBy === 'aupr-error'
              ? 'highest validation AUPR-Error (errors positive, dropout off; ties: the earliest epoch)'
              : 'lowest validation MSE(σ(z), TCP) (ties: the earliest epoch)',
          history: history.map(({ epoch, trainLoss, valLoss, valAuprError }) => ({ epoch, trainLoss, valLoss, valAuprError })),
          fineTune,
        },
        scores: perImageTable(scores.values.length, {}, {}, { confidnet: scores }),
      };
    } finally {
      model.dispose();
    }
  },
});
