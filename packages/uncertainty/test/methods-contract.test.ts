import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Score } from '@rdl/core';
import { createRng } from '@rdl/core';
import { dropoutMaskValues } from '@rdl/models';
import {
  confidNetData,
  createBinaryMcDropout,
  createConfidNet,
  createLaplace,
  createMap,
  createMcDropout,
  createMcp,
  createOdin,
  createVariational,
  gridPoints,
  tuneMethod,
  type HyperParams,
  type StochasticClassifier,
  type UncertaintyMethod,
} from '../src/index.js';

// The smoke test every method passes through the one interface (after pytorch-ood's test over all
// detectors): on tiny data with one planted ambiguous point, each method's score, read as an
// uncertainty, ranks that point first; the same seed gives the same scores; the one grid search
// consumes each method's hyper-parameter space. The classifier is a small tfjs-layers dense net
// this test defines, not LeNet.

/** Uncertainty view of a score, for the test only (@rdl/eval's orientScore does this in rdl). */
const uncertainty = (s: Score): number[] => Array.from(s.values, (v) => (s.direction === 'higher-is-more-uncertain' ? v : -v));
/** How far the planted point (index 0) stands above every other point, read as an uncertainty. */
const margin = (s: Score): number => {
  const u = uncertainty(s);
  return u[0]! - Math.max(...u.slice(1));
};

// Three classes around the unit circle at radius 3; the planted point is the origin, equally far
// from all three (the net gives it uniform probabilities).
const C = 3;
const CENTRES = [0, 1, 2].map((k) => [3 * Math.cos((2 * Math.PI * k) / C), 3 * Math.sin((2 * Math.PI * k) / C)] as const);
function points(n: number, seed: number): { x: Float32Array; labels: Int32Array } {
  const rng = createRng(seed);
  const x = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % C;
    labels[i] = k;
    x[2 * i] = CENTRES[k]![0] + rng.uniform(-0.5, 0.5);
    x[2 * i + 1] = CENTRES[k]![1] + rng.uniform(-0.5, 0.5);
  }
  return { x, labels };
}
/** Planted origin first, then in-distribution points. */
const heldOut = (() => {
  const p = points(12, 3);
  const x = new Float32Array(2 + p.x.length);
  x.set(p.x, 2);
  return x;
})();

// A dense net 2 → 4 (ReLU) → dropout → 3, weights set by hand: the hidden layer holds relu(±x)
// and the logits are 2·(μ_c · x), so the origin has all-zero features under any mask.
let net: tfl.Sequential;
const HIDDEN = 4;
const DROPOUT = 0.2;

function hidden(x: tf.Tensor2D): tf.Tensor2D {
  return net.layers[0]!.apply(x) as tf.Tensor2D;
}
function head(h: tf.Tensor2D): tf.Tensor2D {
  return net.layers[1]!.apply(h) as tf.Tensor2D;
}
function probs(x: Float32Array): Float32Array {
  return tf.tidy(() => tf.softmax(head(hidden(tf.tensor2d(x, [x.length / 2, 2]))))).dataSync() as Float32Array;
}
function features(x: Float32Array): Float32Array {
  return tf.tidy(() => hidden(tf.tensor2d(x, [x.length / 2, 2]))).dataSync() as Float32Array;
}

/** The net as a stochastic classifier: dropout on the hidden layer, masks from the seed. */
const stochastic: StochasticClassifier<Float32Array> = {
  numClasses: C,
  sample: (x, seed) =>
    tf
      .tidy(() => {
        const h = hidden(tf.tensor2d(x, [x.length / 2, 2]));
        const mask = tf.tensor2d(dropoutMaskValues(h.size, DROPOUT, seed), h.shape);
        return tf.softmax(head(tf.mul(h, mask) as tf.Tensor2D));
      })
      .dataSync() as Float32Array,
};

// The same hidden layer with a two-class head for the blobs below: logit_c = ±(x1 + x2).
let binaryHead: tfl.Sequential;
const binaryStochastic: StochasticClassifier<Float32Array> = {
  numClasses: 2,
  sample: (x, seed) =>
    tf
      .tidy(() => {
        const h = hidden(tf.tensor2d(x, [x.length / 2, 2]));
        const mask = tf.tensor2d(dropoutMaskValues(h.size, DROPOUT, seed), h.shape);
        return tf.softmax(binaryHead.apply(tf.mul(h, mask)) as tf.Tensor2D);
      })
      .dataSync() as Float32Array,
};

/** ODIN differentiates the logits with respect to the input, given as [N, 1, 1, 2] "images". */
const logitsFn = (x: tf.Tensor4D): tf.Tensor2D => head(hidden(tf.reshape(x, [x.shape[0], 2]) as tf.Tensor2D));
const asImages = (x: Float32Array): tf.Tensor4D => tf.tensor4d(x, [x.length / 2, 1, 1, 2]);

beforeAll(async () => {
  await tf.setBackend('cpu');
  net = tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [2], units: HIDDEN, activation: 'relu' }), tfl.layers.dense({ units: C })],
  });
  const w1 = [1, -1, 0, 0, 0, 0, 1, -1]; // 2×4: relu(x1), relu(−x1), relu(x2), relu(−x2)
  const w2: number[] = [];
  for (const [j, sign, axis] of [
    [0, 1, 0],
    [1, -1, 0],
    [2, 1, 1],
    [3, -1, 1],
  ] as const) {
    void j;
    for (let k = 0; k < C; k++) w2.push((2 * sign * CENTRES[k]![axis]) / 3);
  }
  net.setWeights([tf.tensor2d(w1, [2, HIDDEN]), tf.zeros([HIDDEN]), tf.tensor2d(w2, [HIDDEN, C]), tf.zeros([C])]);
  binaryHead = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [HIDDEN], units: 2 })] });
  // relu(x1) − relu(−x1) + relu(x2) − relu(−x2) = x1 + x2, for class 1; its negative for class 0.
  binaryHead.setWeights([tf.tensor2d([-1, 1, 1, -1, -1, 1, 1, -1], [HIDDEN, 2]), tf.zeros([2])]);
});

// Binary week-2 data: two blobs at (−2, −2) and (2, 2); the planted point (0, 0) sits on the boundary.
const blobs = (() => {
  const rng = createRng(5);
  const n = 60;
  const x = new Float32Array(2 * n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const c = y[i] ? 2 : -2;
    x[2 * i] = c + rng.normal() * 0.8;
    x[2 * i + 1] = c + rng.normal() * 0.8;
  }
  return { x, y };
})();
const binaryHeldOut = Float32Array.from([0, 0, -2, -2, 2, 2, -2.5, -1.5, 1.5, 2.5, -3, -2, 2, 3]);

/** A method under test: how to build it with a seed, what to fit it on and what to score. */
interface Case {
  name: string;
  make(seed: number): UncertaintyMethod<never, HyperParams, never>;
  input(): unknown;
  fit?(method: UncertaintyMethod<never, HyperParams, never>): Promise<void>;
  fitData?(): unknown;
  /** A narrower grid where the full one would only cost time here. */
  space?: Record<string, readonly unknown[]>;
}

const labelled = () => {
  const p = points(60, 7);
  return { ...p, probs: probs(p.x), features: features(p.x) };
};
const confidNetFitData = () => {
  // The training set also holds ambiguous points near the origin, whose TCP is low.
  const near = createRng(9);
  const extra = Float32Array.from({ length: 2 * 30 }, () => near.uniform(-0.3, 0.3));
  const base = labelled();
  const x = new Float32Array(base.x.length + extra.length);
  x.set(base.x);
  x.set(extra, base.x.length);
  const labels = Int32Array.from({ length: x.length / 2 }, (_, i) => (i < base.labels.length ? base.labels[i]! : i % C));
  const all = confidNetData({ features: features(x), probs: probs(x), labels, numClasses: C });
  return { train: all, validation: all };
};
const mapFitted = async () => {
  const map = createMap({ architecture: 'logistic' });
  await map.fit(blobs);
  return map.weights!;
};

const cases: Case[] = [
  { name: 'mcp', make: () => createMcp() as never, input: () => ({ probs: probs(heldOut), numClasses: C }) },
  { name: 'mc-dropout', make: (seed) => createMcDropout(stochastic, { passes: 20, seed }) as never, input: () => heldOut },
  { name: 'odin', make: () => createOdin(logitsFn, { batchSize: 8 }) as never, input: () => asImages(heldOut) },
  {
    name: 'confidnet',
    make: (seed) => createConfidNet({ seed, hiddenSizes: [16, 16], defaults: { epochs: 40, learningRate: 1e-2, batchSize: 16 } }) as never,
    input: () => features(heldOut),
    fitData: confidNetFitData,
    space: { epochs: [40], learningRate: [3e-3, 1e-2], batchSize: [16] },
  },
  { name: 'map', make: () => createMap({ architecture: 'logistic' }) as never, input: () => binaryHeldOut, fitData: () => blobs },
  {
    name: 'laplace',
    make: (seed) => createLaplace({ samples: 200, seed }) as never,
    input: () => binaryHeldOut,
    fitData: async () => ({ ...blobs, mapWeights: await mapFitted() }),
  },
  {
    name: 'binary-mc-dropout',
    make: (seed) => createBinaryMcDropout(binaryStochastic, { passes: 20, seed }) as never,
    input: () => binaryHeldOut,
  },
  {
    name: 'vi',
    make: (seed) => createVariational({ architecture: 'logistic', config: { seed }, samples: 50, seed }) as never,
    input: () => binaryHeldOut,
    fitData: () => blobs,
    space: { learningRate: [0.01, 0.1], epochs: [30] },
  },
];

describe.each(cases)('$name through the common interface', (c) => {
  const run = async (seed: number): Promise<Score<Float32Array>> => {
    const method = c.make(seed);
    if (method.fit) await method.fit((await c.fitData!()) as never);
    return method.score(c.input() as never);
  };

  it('declares a hyper-parameter space with a default for every key', () => {
    const method = c.make(0);
    expect(Object.keys(method.defaults).sort()).toEqual(Object.keys(method.space).sort());
    for (const [key, values] of Object.entries(method.space)) expect(values.length, key).toBeGreaterThan(0);
  });

  it('ranks the planted ambiguous point first', async () => {
    const score = await run(1);
    expect(score.values).toBeInstanceOf(Float32Array);
    expect(['higher-is-more-uncertain', 'higher-is-more-confident']).toContain(score.direction);
    expect(margin(score)).toBeGreaterThan(0);
  });

  it('gives the same scores for the same seed', async () => {
    const [a, b] = [await run(2), await run(2)];
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
  });

  it('is tuned by the one grid search over its space', async () => {
    const method = c.make(3);
    const space = (c.space ?? method.space) as never;
    const result = await tuneMethod(method, {
      input: c.input() as never,
      fitData: (c.fitData ? await c.fitData() : undefined) as never,
      objective: (score) => margin(score),
      space,
    });
    expect(result.table.map((row) => row.params)).toEqual(gridPoints(space));
    expect(result.value).toBe(Math.max(...result.table.map((row) => row.value).filter((v) => !Number.isNaN(v))));
    expect(result.value).toBeGreaterThan(0);
  });
});
