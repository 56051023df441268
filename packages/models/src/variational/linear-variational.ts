import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import { tfSeed } from './tf-seed.js';

type BaseLayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;
type Kwargs = Parameters<layers.Layer['call']>[1];

/** How the KL(q‖p) term is computed on each training pass. */
export type KlMode = 'closed-form' | 'single-sample';

export interface LinearVariationalArgs extends BaseLayerArgs {
  /** Output width. */
  units: number;
  /** Prior N(0, priorStd²) on every weight and bias (course: 1). */
  priorStd?: number;
  /** Initial mean of q (course: 0). */
  muInit?: number;
  /** Initial ρ of q, σ = softplus(ρ) (course: 1, i.e. σ ≈ 1.31). */
  rhoInit?: number;
  /** 'closed-form' (default, exact) or 'single-sample' (the course's log q(w) − log p(w) at the drawn w). */
  klMode?: KlMode;
  /** Base seed of ε; the k-th call uses a seed derived from (seed, k). null ⇒ unseeded. */
  seed?: number | null;
}

/**
 * Mean-field Gaussian linear layer (Bayes by backprop, the course's `LinearVariational`):
 * q(W) = N(μ, softplus(ρ)²) elementwise, one weight sample per call shared by the whole batch
 * (w = μ + softplus(ρ)·ε, ε ~ N(0, 1), so gradients reach μ and ρ).
 *
 * KL to the prior: on every call made with `{ training: true }` the layer pushes that pass's
 * KL (a kept scalar tensor) onto `accumulatedKl`, like the course's `accumulated_kl_div`;
 * the training loop takes it with `takeKl()`. Prediction passes record nothing, so they leak
 * nothing. `klDivergence()` gives the closed form at the current parameters at any time.
 */
export class LinearVariational extends layers.Layer {
  static className = 'LinearVariational';

  readonly units: number;
  readonly priorStd: number;
  readonly muInit: number;
  readonly rhoInit: number;
  readonly klMode: KlMode;
  /** The configured seed (serialised); `resetSampling` changes only the live stream. */
  readonly seed: number | null;
  private baseSeed: number | null;
  private callCount = 0;
  private accumulatedKl: tf.Scalar[] = [];
  private wMu!: LayerVariable;
  private wRho!: LayerVariable;
  private bMu!: LayerVariable;
  private bRho!: LayerVariable;

  constructor(args: LinearVariationalArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units <= 0) {
      throw new Error(`LinearVariational: units must be a positive integer, got ${args.units}`);
    }
    this.units = args.units;
    this.priorStd = args.priorStd ?? 1;
    if (!(this.priorStd > 0)) throw new Error(`LinearVariational: priorStd must be > 0, got ${this.priorStd}`);
    this.muInit = args.muInit ?? 0;
    this.rhoInit = args.rhoInit ?? 1;
    this.klMode = args.klMode ?? 'closed-form';
    if (this.klMode !== 'closed-form' && this.klMode !== 'single-sample') {
      throw new Error(`LinearVariational: klMode must be 'closed-form' or 'single-sample', got ${String(this.klMode)}`);
    }
    this.seed = args.seed ?? null;
    this.baseSeed = this.seed;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const inDim = shape[shape.length - 1];
    if (inDim == null) throw new Error('LinearVariational: the last input dimension must be known');
    const mu = initializers.constant({ value: this.muInit });
    const rho = initializers.constant({ value: this.rhoInit });
    this.wMu = this.addWeight('wMu', [inDim, this.units], 'float32', mu);
    this.wRho = this.addWeight('wRho', [inDim, this.units], 'float32', rho);
    this.bMu = this.addWeight('bMu', [this.units], 'float32', mu);
    this.bRho = this.addWeight('bRho', [this.units], 'float32', rho);
    this.built = true;
  }

  /** Restart the ε stream: the same seed gives the same sequence of weight samples. */
  resetSampling(seed: number | null): void {
    this.baseSeed = seed;
    this.callCount = 0;
  }

  private nextSeeds(): [number | undefined, number | undefined] {
    if (this.baseSeed === null) return [undefined, undefined];
    // Counter-based: call k uses draws 2k and 2k + 1 of the stream, so a reset reproduces it.
    const k = this.callCount++;
    return [tfSeed(this.baseSeed, 2 * k), tfSeed(this.baseSeed, 2 * k + 1)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const training = kwargs?.['training'] === true;
    const [seedW, seedB] = this.nextSeeds();
    const result = tf.tidy(() => {
      const wMu = this.wMu.read();
      const bMu = this.bMu.read();
      const wSigma = tf.softplus(this.wRho.read());
      const bSigma = tf.softplus(this.bRho.read());
      const epsW = tf.randomNormal(wMu.shape, 0, 1, 'float32', seedW);
      const epsB = tf.randomNormal(bMu.shape, 0, 1, 'float32', seedB);
      const w = tf.add(wMu, tf.mul(wSigma, epsW));
      const b = tf.add(bMu, tf.mul(bSigma, epsB));
      const y = tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b);
      if (!training) return [y];
      const kl =
        this.klMode === 'closed-form'
          ? tf.add(closedFormKl(wMu, wSigma, this.priorStd), closedFormKl(bMu, bSigma, this.priorStd))
          : tf.add(singleSampleKl(w, wSigma, epsW, this.priorStd), singleSampleKl(b, bSigma, epsB, this.priorStd));
      return [y, kl];
    });
    // Kept so that an enclosing tidy (e.g. LayersModel.apply) does not dispose it before the loss uses it.
    if (result.length === 2) this.accumulatedKl.push(tf.keep(result[1] as tf.Scalar));
    return result[0];
  }

  /** Sum of the KL terms recorded since the last take (a new scalar the caller owns), and clear them. */
  takeKl(): tf.Scalar {
    const parts = this.accumulatedKl;
    this.accumulatedKl = [];
    if (parts.length === 0) return tf.scalar(0);
    if (parts.length === 1) return parts[0];
    const total = tf.addN(parts) as tf.Scalar;
    for (const p of parts) p.dispose();
    return total;
  }

  /** Drop (and dispose) recorded KL terms without using them. */
  clearKl(): void {
    for (const p of this.accumulatedKl) p.dispose();
    this.accumulatedKl = [];
  }

  /** Closed-form KL(q‖p) at the current parameters (a new scalar tensor). */
  klDivergence(): tf.Scalar {
    return tf.tidy(() =>
      tf.add(
        closedFormKl(this.wMu.read(), tf.softplus(this.wRho.read()), this.priorStd),
        closedFormKl(this.bMu.read(), tf.softplus(this.bRho.read()), this.priorStd),
      ),
    ) as tf.Scalar;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      priorStd: this.priorStd,
      muInit: this.muInit,
      rhoInit: this.rhoInit,
      klMode: this.klMode,
      seed: this.seed,
    };
  }
}

/** Σ KL(N(μ, σ²) ‖ N(0, s²)) = Σ log(s/σ) + (σ² + μ²)/(2s²) − ½. */
export function closedFormKl(mu: tf.Tensor, sigma: tf.Tensor, priorStd: number): tf.Scalar {
  return tf.tidy(() => {
    const s2 = priorStd * priorStd;
    const terms = tf.add(tf.sub(Math.log(priorStd), tf.log(sigma)), tf.sub(tf.div(tf.add(tf.square(sigma), tf.square(mu)), 2 * s2), 0.5));
    return tf.sum(terms) as tf.Scalar;
  });
}

/**
 * One-sample Monte-Carlo KL, log q(w) − log p(w) at w = μ + σε (constants cancel):
 * Σ [−log σ − ε²/2] − Σ [−log s − w²/(2s²)]. Unbiased for the closed form.
 */
export function singleSampleKl(w: tf.Tensor, sigma: tf.Tensor, eps: tf.Tensor, priorStd: number): tf.Scalar {
  return tf.tidy(() => {
    const logQ = tf.neg(tf.add(tf.log(sigma), tf.div(tf.square(eps), 2)));
    const logP = tf.neg(tf.add(Math.log(priorStd), tf.div(tf.square(w), 2 * priorStd * priorStd)));
    return tf.sum(tf.sub(logQ, logP)) as tf.Scalar;
  });
}

/**
 * Registers the class for deserialisation (idempotent). Called where models are loaded
 * (`loadModelFromMemory`), not at module level, so this module has no side effects on import.
 */
export function registerLinearVariational(): void {
  tf.serialization.registerClass(LinearVariational);
}
