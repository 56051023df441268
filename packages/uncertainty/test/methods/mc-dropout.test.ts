import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRng } from '@rdl/core';
import { BinaryMlp, predictiveSamples } from '@rdl/models';
import {
  binaryStochasticClassifier,
  createBinaryMcDropout,
  createMcDropout,
  sampleStochastic,
  summarizeBinaryPredictive,
  summarizeMcDropout,
  type StochasticClassifier,
} from '../../src/index.js';

// A classifier whose pass is a known function of its seed: N = 2 inputs, C = 2 classes.
const seen: number[] = [];
const toy: StochasticClassifier<number[]> = {
  numClasses: 2,
  sample: (x, seed) => {
    seen.push(seed);
    const p = (seed % 100) / 100;
    return Float32Array.from(x.flatMap(() => [p, 1 - p]));
  },
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('sampleStochastic', () => {
  it("draws pass t's seed from the seed's stream, passes stacked pass-major", async () => {
    seen.length = 0;
    const samples = await sampleStochastic(toy, [0, 0], 3, 7);
    const rng = createRng(7);
    expect(seen).toEqual([0, 1, 2].map(() => rng.int(2147483647)));
    expect(samples.length).toBe(3 * 2 * 2);
    expect(samples[4]).toBeCloseTo((seen[1]! % 100) / 100, 6); // pass 1, image 0, class 0
  });

  it('prefers samplePasses when the classifier has one', async () => {
    const fast = { ...toy, samplePasses: (_: number[], passes: number) => new Float32Array(passes * 4).fill(0.5) };
    expect(Array.from(await sampleStochastic(fast, [0, 0], 2, 1))).toEqual(new Array(8).fill(0.5));
    await expect(sampleStochastic(toy, [0], 0, 1)).rejects.toThrow(/positive integer/);
  });
});

describe('createMcDropout', () => {
  it('summarises the seeded passes and returns the task headline', async () => {
    const mc = createMcDropout(toy, { passes: 4, seed: 3, statistic: 'failure' });
    const summary = await mc.summarize([0, 0]);
    expect(summary).toEqual(summarizeMcDropout(await sampleStochastic(toy, [0, 0], 4, 3), { passes: 4, numClasses: 2 }));
    expect((await mc.score([0, 0])).name).toBe('mc-dropout-confidence');
    expect((await createMcDropout(toy, { passes: 4, statistic: 'mutualInformation' }).score([0])).name).toBe(
      'mc-dropout-mutual-information',
    );
    expect((await mc.summarize([0, 0], { passes: 2 })).passes).toBe(2);
  });
});

describe('binary MC dropout', () => {
  it('around a binary model of @rdl/models equals predictiveSamples summarised in float64', async () => {
    const model = BinaryMlp.init(8, 0.3, 5);
    const x = Float32Array.from([0, 0, 1, -1, 2, 0.5]);
    const method = createBinaryMcDropout(binaryStochasticClassifier(model), { passes: 10, seed: 9 });
    const { samples, passes } = await method.sample(x);
    expect(passes).toBe(10);
    expect(Array.from(samples)).toEqual(Array.from(predictiveSamples(model, x, 10, 9)));
    expect(await method.predictive(x)).toEqual(summarizeBinaryPredictive(samples, 10));
    model.dispose();
    expect(() => createBinaryMcDropout(toy as never)).not.toThrow();
    expect(() => createBinaryMcDropout({ ...toy, numClasses: 3 } as never)).toThrow(/not 2/);
  });
});
