/**
 * The one training loop of @rdl/models: epochs × mini-batches (a fresh seeded permutation of
 * the rows per epoch, or the rows in order), one `step` per batch returning its loss, and
 * per-batch / per-epoch callbacks. What a step does (forward, gradients, optimizer) is the
 * model's; the loop owns the schedule and the loss bookkeeping. `fit` runs synchronous steps,
 * `fitAsync` awaits them and yields to the event loop now and then; both walk `schedule`.
 */
import { permutation, type Rng } from '@rdl/core';
import { yieldToEventLoop } from '@rdl/runtime';

export interface FitOptions {
  epochs: number;
  /** Number of training rows. */
  count: number;
  /** Rows per step; null (or ≥ count) ⇒ one full batch per epoch. */
  batchSize: number | null;
  /**
   * Shuffle stream. When given, every epoch starts with `permutation(count, rng)` and the batches
   * are consecutive slices of it; without it, batches are the rows in order. Steps may draw from
   * the same stream (e.g. a dropout seed), after the epoch's permutation.
   */
  rng?: Rng;
  /** Throw when a step's loss is NaN or infinite (naming the epoch and batch). */
  failOnNonFinite?: boolean;
  /** Called after every step, with its loss. */
  onBatch?: (batch: FitBatch, loss: number) => void;
  /** Called after every epoch, with its mean loss (see `epochMean`). */
  onEpoch?: (epoch: number, meanLoss: number) => void;
  /**
   * How an epoch's loss is averaged: 'batches' (default) the mean of its step losses, 'rows' the
   * mean weighted by each batch's rows (Σ loss·rows / count: the mean per row when the last batch is short).
   */
  epochMean?: 'batches' | 'rows';
}

/**
 * `fitAsync`'s options: the epoch callback may be asynchronous (awaited before the next epoch)
 * and may end training early by returning 'stop' (e.g. early stopping on a validation curve).
 */
export interface FitAsyncOptions extends Omit<FitOptions, 'onEpoch'> {
  onEpoch?: (epoch: number, meanLoss: number) => FitControl | Promise<FitControl>;
  /** Yield to the event loop after every this many batches (default 20). */
  yieldEvery?: number;
}

/** What an epoch callback returns: 'stop' ends training after this epoch. */
export type FitControl = 'stop' | void;

export interface FitBatch {
  /** 0-based epoch. */
  epoch: number;
  /** 0-based batch within the epoch. */
  index: number;
  /** Batches per epoch. */
  batches: number;
  /** Position of the batch's first and one-past-last row in the epoch's order. */
  start: number;
  end: number;
  /** The batch's row indices, or null when it is rows [start, end) in order (no rng). */
  rows: Int32Array | null;
  /** The loop's shuffle stream (undefined without one). */
  rng: Rng | undefined;
}

export interface FitResult {
  /** Loss of every step, in training order. */
  batchLosses: Float64Array;
  /** Mean step loss of each epoch (only the epochs run, when an epoch callback stopped early). */
  epochLosses: Float64Array;
}

function checkFit(o: FitOptions | FitAsyncOptions): number {
  if (!Number.isInteger(o.epochs) || o.epochs < 0) throw new Error(`fit: epochs must be a non-negative integer, got ${o.epochs}`);
  if (!Number.isInteger(o.count) || o.count <= 0) throw new Error(`fit: count must be a positive integer, got ${o.count}`);
  if (o.batchSize !== null && !(Number.isInteger(o.batchSize) && o.batchSize > 0)) {
    throw new Error(`fit: batchSize must be a positive integer or null, got ${o.batchSize}`);
  }
  return Math.min(o.batchSize ?? o.count, o.count);
}

/** The batches of a fit, in training order (the permutation of an epoch is drawn when its first batch is reached). */
export function* schedule(o: FitOptions | FitAsyncOptions): Generator<FitBatch> {
  const size = checkFit(o);
  const batches = Math.ceil(o.count / size);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = o.rng ? permutation(o.count, o.rng) : null;
    for (let index = 0; index < batches; index++) {
      const start = index * size;
      const end = Math.min(start + size, o.count);
      yield { epoch, index, batches, start, end, rows: order ? order.subarray(start, end) : null, rng: o.rng };
    }
  }
}

/** Loss bookkeeping shared by both loops: `add` returns the epoch's mean loss when the batch ends an epoch. */
function recorder(o: FitOptions | FitAsyncOptions): {
  add: (b: FitBatch, loss: number) => number | undefined;
  result: FitResult;
  stoppedAfter: (epoch: number) => FitResult;
} {
  const batches = Math.ceil(o.count / checkFit(o));
  const batchLosses = new Float64Array(o.epochs * batches);
  const epochLosses = new Float64Array(o.epochs);
  const byRows = o.epochMean === 'rows';
  let at = 0;
  let sum = 0;
  return {
    add(b, loss) {
      if (o.failOnNonFinite && !Number.isFinite(loss)) {
        throw new Error(`training diverged: loss is ${loss} at epoch ${b.epoch + 1}, batch ${b.index + 1}`);
      }
      batchLosses[at++] = loss;
      sum += byRows ? loss * (b.end - b.start) : loss;
      o.onBatch?.(b, loss);
      if (b.index < b.batches - 1) return undefined;
      epochLosses[b.epoch] = sum / (byRows ? o.count : b.batches);
      sum = 0;
      return epochLosses[b.epoch];
    },
    result: { batchLosses, epochLosses },
    stoppedAfter: (epoch) => ({ batchLosses: batchLosses.slice(0, at), epochLosses: epochLosses.slice(0, epoch + 1) }),
  };
}

/** Runs `step` on every batch of the schedule; returns the losses. */
export function fit(o: FitOptions, step: (batch: FitBatch) => number): FitResult {
  const r = recorder(o);
  for (const b of schedule(o)) {
    const mean = r.add(b, step(b));
    if (mean !== undefined) o.onEpoch?.(b.epoch, mean);
  }
  return r.result;
}

/**
 * `fit` with asynchronous steps (and epoch callback); yields to the event loop every `yieldEvery`
 * batches. An epoch callback returning 'stop' ends training after that epoch.
 */
export async function fitAsync(o: FitAsyncOptions, step: (batch: FitBatch) => Promise<number>): Promise<FitResult> {
  const r = recorder(o);
  const every = o.yieldEvery ?? 20;
  for (const b of schedule(o)) {
    const mean = r.add(b, await step(b));
    if (mean !== undefined && (await o.onEpoch?.(b.epoch, mean)) === 'stop') return r.stoppedAfter(b.epoch);
    if (b.index % every === every - 1) await yieldToEventLoop();
  }
  return r.result;
}
