import { imageSetFromTable, sampleIndices, subset, type ImageSet } from '@rdl/data';
import { oodMetrics } from '@rdl/eval';
import { imagesToTensor, initBackend } from '@rdl/models';
import { ODIN_DEFAULT_EPSILONS, ODIN_DEFAULT_TEMPERATURES, odinScores, tuneOdin, type PixelBatches } from '@rdl/uncertainty';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { lenetFromArtifact } from './lenet-checkpoint.js';
import { mnist } from './mnist.js';
import { oodData } from './ood-data.js';
import { perImageTable } from './tables.js';
import { trainLenet } from './train-lenet.js';

// The tuning criterion is @rdl/eval's oodMetrics, the same definition the report uses. ODIN
// involves no trained weights of its own, so an eval edit re-running this (slow) stage is the
// price of having one AUROC / FPR95 implementation; training stages stay free of eval.

const resultSchema = z.object({
  temperature: z.number(),
  epsilon: z.number(),
  criterion: z.enum(['auroc', 'fpr95']),
  /** Criterion at the chosen point (AUROC, or −FPR95), on the tuning data. */
  value: z.number(),
  grid: z.array(z.object({ T: z.number(), eps: z.number(), value: z.number() })),
  tuneIn: z.number().int(),
  tuneOut: z.number().int(),
  seconds: z.number(),
});
export type OdinResult = z.infer<typeof resultSchema>;

const batches = (set: ImageSet): PixelBatches => ({ pixels: set.pixels, count: set.count, toTensor: (pixels, count) => imagesToTensor(pixels, count) });

export const odin = defineStage({
  name: 'odin',
  description:
    'Week 3 III: ODIN temperature T and perturbation ε chosen on held-out data (MNIST validation images vs the OOD tuning sample, never the test sets), then ODIN scores for MNIST test and OOD test',
  module: import.meta.url,
  config: z.strictObject({
    temperatures: z.array(z.number().positive()).min(1).default([...ODIN_DEFAULT_TEMPERATURES]),
    epsilons: z.array(z.number().min(0)).min(1).default([...ODIN_DEFAULT_EPSILONS]),
    /** In-distribution tuning images drawn from the validation split (as many as the OOD tuning sample by default). */
    tuneInCount: z.number().int().min(1).default(1000),
    criterion: z.enum(['auroc', 'fpr95']).default('auroc'),
    batchSize: z.number().int().min(1).default(256),
  }),
  needs: { trainLenet, mnist, oodData },
  outputs: { test: artifact.table(), ood: artifact.table(), result: artifact.json(resultSchema) },
  async run({ config, seed, inputs, progress, record, log }) {
    const backend = await initBackend();
    record('backend', backend.name);
    const model = lenetFromArtifact(inputs.trainLenet.weights, inputs.trainLenet.history.model);
    try {
      const validation = imageSetFromTable(inputs.mnist.validation, 'mnist validation');
      const tuneIn = subset(validation, sampleIndices(validation.count, { count: Math.min(config.tuneInCount, validation.count), seed: seed + 61 }));
      const tuneOut = imageSetFromTable(inputs.oodData.tune, 'ood tune');
      const logitsFn = (x: Parameters<typeof model.logits>[0]) => model.logits(x, { training: false });
      const started = Date.now();
      const points = config.temperatures.length * config.epsilons.length;
      const bar = progress(`ODIN grid (${config.temperatures.length} T × ${config.epsilons.length} ε)`, points);
      let done = 0;
      const tuned = await tuneOdin({
        logitsFn,
        inDistribution: batches(tuneIn),
        outOfDistribution: batches(tuneOut),
        temperatures: config.temperatures,
        epsilons: config.epsilons,
        batchSize: config.batchSize,
        criterion: (inScore, outScore) => {
          const m = oodMetrics(inScore, outScore);
          return config.criterion === 'auroc' ? m.auroc : -m.fpr95;
        },
        onProgress: (p) => bar.tick(++done, `T ${p.T} ε ${p.eps}: ${p.value.toFixed(4)}`),
      });
      bar.done();
      log(`chosen T = ${tuned.temperature}, ε = ${tuned.epsilon} (${config.criterion} ${tuned.value.toFixed(4)} on ${tuneIn.count} + ${tuneOut.count} tuning images)`);
      const options = { temperature: tuned.temperature, epsilon: tuned.epsilon, batchSize: config.batchSize };
      const test = imageSetFromTable(inputs.mnist.test, 'mnist test');
      const ood = imageSetFromTable(inputs.oodData.test, 'ood test');
      const testScore = await odinScores(logitsFn, batches(test), options);
      const oodScore = await odinScores(logitsFn, batches(ood), options);
      const seconds = (Date.now() - started) / 1000;
      record('seconds', Number(seconds.toFixed(1)));
      return {
        test: perImageTable(test.count, { odin: testScore.values }),
        ood: perImageTable(ood.count, { odin: oodScore.values }),
        result: {
          temperature: tuned.temperature,
          epsilon: tuned.epsilon,
          criterion: config.criterion,
          value: tuned.value,
          grid: tuned.grid,
          tuneIn: tuneIn.count,
          tuneOut: tuneOut.count,
          seconds,
        },
      };
    } finally {
      model.dispose();
    }
  },
});
