import { deriveSeed } from '@rdl/core';
import { imageSetFromTable } from '@rdl/data';
import { DEFAULT_CLASSIFIER_TRAINING, LeNet, trainClassifier } from '@rdl/models';
import { defaultThreads, initBackend } from '@rdl/runtime';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { lenetMetaSchema, lenetToArtifact } from './lenet-checkpoint.js';
import { mnist } from './mnist.js';

// A training stage: it must not import @rdl/eval (accuracy is measured downstream), so that
// editing evaluation code never retrains the network. Its timings are run facts: they go to the
// manifest (`record`), never into outputs/, so an identical result does not rerun what follows.

const historySchema = z.object({
  model: lenetMetaSchema,
  epochs: z.number().int(),
  batchSize: z.number().int(),
  learningRate: z.number(),
  trainImages: z.number().int(),
  epochLosses: z.array(z.number()),
  /** Every 10th batch loss, for a loss curve without 1,300 points. */
  batchLosses: z.array(z.object({ step: z.number().int(), loss: z.number() })),
  backend: z.string(),
});
export type LenetHistory = z.infer<typeof historySchema>;

export const trainLenet = defineStage({
  name: 'train-lenet',
  description:
    'Week 3 I: the SPEC LeNet (dropout before both fully connected layers) trained with Adam on the MNIST training split, seeded',
  module: import.meta.url,
  config: z.strictObject({
    dropout: z.number().min(0).lt(1).default(0.5),
    // Measured on the 55k training split: 3 epochs gave 98.98% (seed 0); 4 epochs 99.10% (seed 0)
    // but 98.89% (seed 1). SPEC asks for ≥ 99%, so 6 epochs leave a margin across seeds.
    epochs: z.number().int().min(1).default(6),
    batchSize: z.number().int().min(1).default(DEFAULT_CLASSIFIER_TRAINING.batchSize),
    learningRate: z.number().positive().default(DEFAULT_CLASSIFIER_TRAINING.learningRate),
  }),
  needs: { mnist },
  outputs: { weights: artifact.binary(), history: artifact.json(historySchema) },
  async run({ config, seed, inputs, progress, record, log }) {
    const backend = await initBackend();
    record('backend', backend.name);
    record('threads', defaultThreads(backend.name));
    const train = imageSetFromTable(inputs.mnist.train, 'mnist train');
    const meta = { dropout: config.dropout, seed: deriveSeed(seed, 'week3/train-lenet/init') };
    const model = LeNet.create(meta);
    try {
      const batches = Math.ceil(train.count / config.batchSize);
      const bar = progress(`train LeNet (${config.epochs} epochs × ${batches} batches)`, config.epochs * batches);
      const result = await trainClassifier(
        model,
        { pixels: train.pixels, labels: train.labels, count: train.count },
        {
          epochs: config.epochs,
          batchSize: config.batchSize,
          learningRate: config.learningRate,
          seed: deriveSeed(seed, 'week3/train-lenet/batches'),
          onProgress: (p) =>
            bar.tick((p.epoch - 1) * p.batches + p.batch, `epoch ${p.epoch} loss ${p.loss.toFixed(3)} ${Math.round(p.imagesPerSec)} img/s`),
        },
      );
      bar.done();
      const imagesPerSec = (config.epochs * train.count) / result.seconds;
      log(
        `epoch losses ${result.epochLosses.map((l) => l.toFixed(4)).join(', ')}; ${result.seconds.toFixed(1)} s, ${Math.round(imagesPerSec)} img/s`,
      );
      record('trainSeconds', Number(result.seconds.toFixed(1)));
      record('imagesPerSec', Math.round(imagesPerSec));
      return {
        weights: lenetToArtifact(model),
        history: {
          model: meta,
          epochs: config.epochs,
          batchSize: config.batchSize,
          learningRate: config.learningRate,
          trainImages: train.count,
          epochLosses: result.epochLosses,
          batchLosses: result.losses.flatMap((loss, step) =>
            step % 10 === 0 || step === result.losses.length - 1 ? [{ step, loss }] : [],
          ),
          backend: backend.name,
        },
      };
    } finally {
      model.dispose();
    }
  },
});
