import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential, type LayersModel, type Sequential } from '@tensorflow/tfjs-layers';
import { createRng, deriveSeed } from '@rdl/core';
import { fit } from '../training/fit.js';
import { minimize, tfAdam } from '../training/tf-adam.js';
import { checkBinaryData } from '../logistic/logistic-map.js';
import { parseClassifierConfig } from '../logistic/config.js';
import { LinearVariational, type KlMode } from './linear-variational.js';
import {
  variationalLogisticConfigSchema,
  variationalMlpConfigSchema,
  type VariationalLogisticConfigInput,
  type VariationalMlpConfigInput,
} from './config.js';

interface LayerOptions {
  priorStd: number;
  muInit: number;
  rhoInit: number;
  klMode: KlMode;
  seed: number;
}

// Distinct, far-apart ε streams per layer of one model.
/** Each LinearVariational layer's ε stream, by its position in the model. */
const layerSeed = (seed: number, index: number): number => deriveSeed(seed, `variational/layer-${index}`);

// Only the layer's own fields: a config spread could smuggle base-Layer args (e.g. batchSize).
function layerArgs(o: LayerOptions, seed: number): LayerOptions {
  return { priorStd: o.priorStd, muInit: o.muInit, rhoInit: o.rhoInit, klMode: o.klMode, seed };
}

/** 2 → 1 LinearVariational. The model outputs LOGITS (apply a sigmoid for p(y = 1)). */
export function createVariationalLogistic(opts: LayerOptions): Sequential {
  return sequential({ layers: [new LinearVariational({ units: 1, inputShape: [2], ...layerArgs(opts, layerSeed(opts.seed, 0)) })] });
}

/** 2 → hidden → 1 with ReLU, both layers LinearVariational. Outputs LOGITS. */
export function createVariationalMlp(opts: LayerOptions & { hiddenUnits: number }): Sequential {
  return sequential({
    layers: [
      new LinearVariational({ units: opts.hiddenUnits, inputShape: [2], ...layerArgs(opts, layerSeed(opts.seed, 0)) }),
      layers.activation({ activation: 'relu' }),
      new LinearVariational({ units: 1, ...layerArgs(opts, layerSeed(opts.seed, 1)) }),
    ],
  });
}

/** The LinearVariational layers of a model, in order. */
export function variationalLayers(model: LayersModel): LinearVariational[] {
  return model.layers.filter((l): l is LinearVariational => l instanceof LinearVariational);
}

/** Restart every LinearVariational layer's ε stream from `seed` (per-layer offsets). null ⇒ unseeded. */
export function reseedVariational(model: LayersModel, seed: number | null): void {
  variationalLayers(model).forEach((l, i) => l.resetSampling(seed === null ? null : layerSeed(seed, i)));
}

export interface VariationalTrainOptions {
  learningRate: number;
  epochs: number;
  batchSize: number | null;
  klWeight: number;
  seed: number;
}

export interface VariationalTrainResult {
  /** Negative ELBO per sample ((NLL + klWeight·KL)/N), mean over each epoch's steps. */
  losses: Float64Array;
  /** Mean per-sample NLL part of each epoch. */
  nll: Float64Array;
  /** KL(q‖p) part of each epoch (not divided by N). */
  kl: Float64Array;
}

/**
 * Adam on the negative ELBO (see config.ts). Each step runs the model with `{ training: true }`
 * so every LinearVariational layer draws fresh weights and records its KL.
 */
export function trainVariationalModel(
  model: LayersModel,
  x: Float32Array,
  y: Uint8Array,
  opts: VariationalTrainOptions,
): VariationalTrainResult {
  const n = checkBinaryData(x, y);
  if (n === 0) throw new Error('x must hold at least one point');
  const vLayers = variationalLayers(model);
  const batched = opts.batchSize !== null && opts.batchSize < n;
  const optimizer = tfAdam({ learningRate: opts.learningRate });
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const xAll = tf.tensor2d(x, [n, 2]);
  const yAll = tf.tensor2d(Float32Array.from(y), [n, 1]);
  const nllHist = new Float64Array(opts.epochs);
  const klHist = new Float64Array(opts.epochs);
  let nllSum = 0;
  let klSum = 0;
  try {
    const { epochLosses } = fit(
      {
        epochs: opts.epochs,
        count: n,
        batchSize: opts.batchSize,
        // Full batch: the rows in order, and no draw from the shuffle stream.
        rng: batched ? createRng(deriveSeed(opts.seed, 'variational/batches')) : undefined,
        onEpoch: (epoch) => {
          const steps = batched ? Math.ceil(n / (opts.batchSize ?? n)) : 1;
          nllHist[epoch] = nllSum / steps;
          klHist[epoch] = klSum / steps;
          nllSum = 0;
          klSum = 0;
        },
      },
      (b) => {
        const taken: tf.Tensor[] = [];
        const parts = tf.tidy(() => {
          let xb: tf.Tensor2D = xAll;
          let yb: tf.Tensor2D = yAll;
          if (b.rows !== null) {
            const idx = tf.tensor1d(b.rows, 'int32');
            xb = tf.gather(xAll, idx);
            yb = tf.gather(yAll, idx);
          }
          let nllT: tf.Scalar | undefined;
          let klT: tf.Scalar | undefined;
          const loss = minimize(optimizer, vars, () => {
            const logits = model.apply(xb, { training: true }) as tf.Tensor;
            // Kept: the gradient tape tidies everything but its return value.
            nllT = tf.keep(tf.losses.sigmoidCrossEntropy(yb, logits) as tf.Scalar);
            const kls = vLayers.map((l) => l.takeKl());
            taken.push(...kls);
            klT = tf.keep(kls.length > 0 ? (tf.addN(kls) as tf.Scalar) : tf.scalar(0));
            return tf.add(nllT, tf.mul(klT, opts.klWeight / n)) as tf.Scalar;
          });
          return [loss, nllT as tf.Scalar, klT as tf.Scalar];
        });
        const [l, a, k] = parts.map((t) => t.dataSync()[0]);
        parts.forEach((t) => t.dispose());
        taken.forEach((t) => t.dispose()); // kept KL tensors escape every tidy
        nllSum += a;
        klSum += k;
        return l;
      },
    );
    return { losses: epochLosses, nll: nllHist, kl: klHist };
  } finally {
    vLayers.forEach((l) => l.clearKl());
    xAll.dispose();
    yAll.dispose();
    optimizer.dispose();
  }
}

export interface TrainedVariational extends VariationalTrainResult {
  model: Sequential;
}

/** Build and train the week-2 · 1.3 variational logistic regression. */
export function trainVariationalLogistic(x: Float32Array, y: Uint8Array, config: VariationalLogisticConfigInput = {}): TrainedVariational {
  const cfg = parseClassifierConfig(variationalLogisticConfigSchema, config, 'variational logistic');
  const model = createVariationalLogistic(cfg);
  return { model, ...trainVariationalModel(model, x, y, cfg) };
}

/** Build and train the week-2 · 2.1 Bayesian MLP (VI). */
export function trainVariationalMlp(x: Float32Array, y: Uint8Array, config: VariationalMlpConfigInput = {}): TrainedVariational {
  const cfg = parseClassifierConfig(variationalMlpConfigSchema, config, 'variational MLP');
  const model = createVariationalMlp(cfg);
  return { model, ...trainVariationalModel(model, x, y, cfg) };
}
