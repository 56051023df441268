import * as tf from '@tensorflow/tfjs-core';
import { createRng, deriveSeed } from '@rdl/core';
import { checkBinaryData } from '../logistic/logistic-map.js';
import { parseClassifierConfig } from '../logistic/config.js';
import type { StochasticBinaryClassifier } from '../variational/predictive.js';
import { trainMlpWeights } from './fast-trainer.js';
import { fit } from '../training/fit.js';
import { minimize, tfAdam } from '../training/tf-adam.js';
import { tfSeed } from '../variational/tf-seed.js';
import { mcDropoutMlpConfigSchema, mlpConfigSchema, type McDropoutMlpConfigInput, type MlpConfigInput } from './config.js';

/** Plain-array weights of a BinaryMlp (row-major, w1: 2×H, w2: H×1). */
export interface MlpWeights {
  hiddenUnits: number;
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
}

/**
 * 2 → H → 1 ReLU network on raw tfjs ops (four variables, no layers machinery). Training runs
 * by default on the float64 js engine (fast-trainer.ts), the tfjs autodiff path is kept as a
 * reference (`engine: 'tfjs'`). With dropout > 0 the hidden layer is dropped during training and
 * in `sampleLogits` (MC dropout); `predict` is the deterministic (mask-free) net.
 */
export class BinaryMlp implements StochasticBinaryClassifier {
  readonly hiddenUnits: number;
  readonly dropout: number;
  private readonly vars: [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  private sampleSeed = 0;
  private sampleCount = 0;

  constructor(weights: MlpWeights, dropout: number) {
    const h = weights.hiddenUnits;
    if (weights.w1.length !== 2 * h || weights.b1.length !== h || weights.w2.length !== h || weights.b2.length !== 1) {
      throw new Error(`MlpWeights: sizes do not match hiddenUnits = ${h}`);
    }
    if (!(dropout >= 0 && dropout < 1)) throw new Error(`dropout must be in [0, 1), got ${dropout}`);
    this.hiddenUnits = h;
    this.dropout = dropout;
    // tidy disposes the initial-value tensors; variables survive it.
    this.vars = tf.tidy(() => [
      tf.variable(tf.tensor2d(weights.w1, [2, h])),
      tf.variable(tf.tensor1d(weights.b1)),
      tf.variable(tf.tensor2d(weights.w2, [h, 1])),
      tf.variable(tf.tensor1d(weights.b2)),
    ]) as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  }

  /** PyTorch nn.Linear initialisation, U(±1/√fan_in), from a seed. */
  static init(hiddenUnits: number, dropout: number, seed: number): BinaryMlp {
    const rng = createRng(seed);
    const u = (len: number, fanIn: number) => {
      const b = 1 / Math.sqrt(fanIn);
      return Float32Array.from({ length: len }, () => rng.uniform(-b, b));
    };
    return new BinaryMlp(
      { hiddenUnits, w1: u(2 * hiddenUnits, 2), b1: u(hiddenUnits, 2), w2: u(hiddenUnits, hiddenUnits), b2: u(1, hiddenUnits) },
      dropout,
    );
  }

  get variables(): tf.Variable[] {
    return [...this.vars];
  }

  /** Logits [n, 1]; a dropout mask is drawn when `dropoutSeed` is given and dropout > 0. */
  logits(x: tf.Tensor2D, dropoutSeed?: number): tf.Tensor2D {
    return tf.tidy(() => {
      const [w1, b1, w2, b2] = this.vars;
      let h = tf.relu(tf.add(tf.matMul(x, w1), b1)) as tf.Tensor2D;
      if (dropoutSeed !== undefined && this.dropout > 0) h = tf.dropout(h, this.dropout, undefined, dropoutSeed) as tf.Tensor2D;
      return tf.add(tf.matMul(h, w2), b2) as tf.Tensor2D;
    });
  }

  reseed(seed: number): void {
    this.sampleSeed = seed;
    this.sampleCount = 0;
  }

  /** One MC-dropout pass (mask seeded by a counter since the last reseed); no mask if dropout = 0. */
  sampleLogits(x: tf.Tensor2D): tf.Tensor {
    return this.logits(x, tfSeed(this.sampleSeed, this.sampleCount++));
  }

  /** Deterministic p(y = 1 | x) for x n×2 (dropout off, inverted-dropout scaling makes this the mean net). */
  predict(x: Float32Array): Float64Array {
    const n = checkBinaryData(x);
    const p = tf.tidy(() => tf.sigmoid(this.logits(tf.tensor2d(x, [n, 2]))));
    const out = Float64Array.from(p.dataSync());
    p.dispose();
    return out;
  }

  getWeights(): MlpWeights {
    const [w1, b1, w2, b2] = this.vars.map((v) => v.dataSync() as Float32Array);
    return { hiddenUnits: this.hiddenUnits, w1: w1.slice(), b1: b1.slice(), w2: w2.slice(), b2: b2.slice() };
  }

  dispose(): void {
    for (const v of this.vars) v.dispose();
  }
}

export interface TrainedMlp {
  model: BinaryMlp;
  /** Training loss at each epoch: mean BCE + ½λ‖θ‖² ('l2'), mean BCE alone ('decoupled'). */
  losses: Float64Array;
}

function train(x: Float32Array, y: Uint8Array, cfg: ReturnType<typeof mlpConfigSchema.parse>): TrainedMlp {
  const n = checkBinaryData(x, y);
  if (n === 0) throw new Error('x must hold at least one point');
  // Training masks use their own stream, far from the prediction seeds.
  const maskSeed = deriveSeed(cfg.seed, 'mlp/training-masks');
  if (cfg.engine === 'js') {
    const init = BinaryMlp.init(cfg.hiddenUnits, cfg.dropout, cfg.seed);
    const weights = init.getWeights();
    init.dispose();
    const losses = trainMlpWeights(weights, x, y, { ...cfg, seed: maskSeed });
    return { model: new BinaryMlp(weights, cfg.dropout), losses };
  }
  const model = BinaryMlp.init(cfg.hiddenUnits, cfg.dropout, cfg.seed);
  const vars = model.variables;
  // ε = 1e-8 as PyTorch (and the js engine); 'decoupled' is AdamW, as in the js engine.
  const optimizer = tfAdam({
    learningRate: cfg.learningRate,
    epsilon: 1e-8,
    weightDecay: cfg.weightDecayMode === 'decoupled' ? cfg.weightDecay : 0,
  });
  const xt = tf.tensor2d(x, [n, 2]);
  const yt = tf.tensor2d(Float32Array.from(y), [n, 1]);
  try {
    const { epochLosses } = fit({ epochs: cfg.epochs, count: n, batchSize: null }, (b) => {
      const loss = minimize(optimizer, vars, () => {
        const logits = model.logits(xt, cfg.dropout > 0 ? tfSeed(maskSeed, b.epoch) : undefined);
        const nll = tf.losses.sigmoidCrossEntropy(yt, logits);
        if (cfg.weightDecayMode === 'decoupled') return nll as tf.Scalar;
        const sq = tf.addN(vars.map((v) => tf.sum(tf.square(v))));
        return tf.add(nll, tf.mul(sq, 0.5 * cfg.weightDecay)) as tf.Scalar;
      });
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    });
    return { model, losses: epochLosses };
  } finally {
    xt.dispose();
    yt.dispose();
    optimizer.dispose();
  }
}

/** Week 2 · 2.1 deterministic MLP (full-batch Adam; weight decay as set by weightDecayMode). */
export function trainMlp(x: Float32Array, y: Uint8Array, config: MlpConfigInput = {}): TrainedMlp {
  return train(x, y, parseClassifierConfig(mlpConfigSchema, config, 'MLP'));
}

/** Week 2 · 2.2 MC-dropout MLP; predict with `predictiveSamples(model, x, 100, seed)` (dropout on). */
export function trainMcDropoutMlp(x: Float32Array, y: Uint8Array, config: McDropoutMlpConfigInput = {}): TrainedMlp {
  return train(x, y, parseClassifierConfig(mcDropoutMlpConfigSchema, config, 'MC-dropout MLP'));
}
