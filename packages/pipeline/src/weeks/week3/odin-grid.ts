import { imageSetFromTable, sampleIndices, subset, type ImageSet } from '@rdl/data';
import { imagesToTensor } from '@rdl/models';
import { initBackend } from '@rdl/runtime';
import { ODIN_DEFAULT_EPSILONS, ODIN_DEFAULT_TEMPERATURES, odinScoresForEpsilons, type PixelBatches } from '@rdl/uncertainty';
import { tableFromArrays } from 'apache-arrow';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { lenetFromArtifact } from './lenet-checkpoint.js';
import { mnist } from './mnist.js';
import { oodData } from './ood-data.js';
import { trainLenet } from './train-lenet.js';

export const odinBatches = (set: ImageSet): PixelBatches => ({ pixels: set.pixels, count: set.count, toTensor: (pixels, count) => imagesToTensor(pixels, count) });

export const odinGridPointsSchema = z.object({
  points: z.array(z.object({ T: z.number(), eps: z.number() })),
  tuneIn: z.number().int(),
  tuneOut: z.number().int(),
});

/**
 * ODIN scores of the held-out tuning images (MNIST validation vs the OOD tuning sample, never the
 * test sets) at every (T, ε) of the grid. Choosing the point needs a metric, which lives in
 * @rdl/eval; keeping that choice in its own stage means an eval edit never recomputes this grid.
 */
export const odinGrid = defineStage({
  name: 'odin-grid',
  description: 'Week 3 III: ODIN scores of the held-out tuning images at every temperature T and perturbation ε of the grid',
  module: import.meta.url,
  config: z.strictObject({
    temperatures: z.array(z.number().positive()).min(1).default([...ODIN_DEFAULT_TEMPERATURES]),
    epsilons: z.array(z.number().min(0)).min(1).default([...ODIN_DEFAULT_EPSILONS]),
    /** In-distribution tuning images drawn from the validation split (as many as the OOD tuning sample by default). */
    tuneInCount: z.number().int().min(1).default(1000),
    batchSize: z.number().int().min(1).default(256),
  }),
  needs: { trainLenet, mnist, oodData },
  outputs: { scores: artifact.table(), grid: artifact.json(odinGridPointsSchema) },
  async run({ config, seed, inputs, progress, record }) {
    record('backend', (await initBackend()).name);
    const model = lenetFromArtifact(inputs.trainLenet.weights, inputs.trainLenet.history.model);
    try {
      const validation = imageSetFromTable(inputs.mnist.validation, 'mnist validation');
      const tuneIn = subset(validation, sampleIndices(validation.count, { count: Math.min(config.tuneInCount, validation.count), seed: seed + 61 }));
      const tuneOut = imageSetFromTable(inputs.oodData.tune, 'ood tune');
      const logitsFn = (x: Parameters<typeof model.logits>[0]) => model.logits(x, { training: false });
      const points = config.temperatures.flatMap((T) => config.epsilons.map((eps) => ({ T, eps })));
      const perPoint = tuneIn.count + tuneOut.count;
      const T = new Float64Array(points.length * perPoint);
      const eps = new Float64Array(points.length * perPoint);
      const isOod = new Uint8Array(points.length * perPoint);
      const score = new Float32Array(points.length * perPoint);
      const bar = progress(`ODIN grid (${config.temperatures.length} T × ${config.epsilons.length} ε)`, config.temperatures.length);
      let row = 0;
      for (const [t, temperature] of config.temperatures.entries()) {
        const options = { batchSize: config.batchSize };
        const inValues = await odinScoresForEpsilons(logitsFn, odinBatches(tuneIn), temperature, config.epsilons, options);
        const outValues = await odinScoresForEpsilons(logitsFn, odinBatches(tuneOut), temperature, config.epsilons, options);
        config.epsilons.forEach((epsilon, k) => {
          for (const [values, ood] of [[inValues[k]!, 0], [outValues[k]!, 1]] as const) {
            for (let i = 0; i < values.length; i++, row++) {
              T[row] = temperature;
              eps[row] = epsilon;
              isOod[row] = ood;
              score[row] = values[i]!;
            }
          }
        });
        bar.tick(t + 1, `T = ${temperature}`);
      }
      bar.done();
      return { scores: tableFromArrays({ T, eps, isOod, score }), grid: { points, tuneIn: tuneIn.count, tuneOut: tuneOut.count } };
    } finally {
      model.dispose();
    }
  },
});
