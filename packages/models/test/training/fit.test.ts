import { describe, expect, it } from 'vitest';
import { createRng, permutation } from '@rdl/core';
import { fit, fitAsync, schedule, type FitBatch } from '../../src/training/fit.js';

describe('schedule', () => {
  it('without an rng: the rows in order, full batch when batchSize is null or too large', () => {
    const b = [...schedule({ epochs: 2, count: 5, batchSize: 2 })];
    expect(b.map((x) => [x.epoch, x.index, x.start, x.end, x.rows])).toEqual([
      [0, 0, 0, 2, null],
      [0, 1, 2, 4, null],
      [0, 2, 4, 5, null],
      [1, 0, 0, 2, null],
      [1, 1, 2, 4, null],
      [1, 2, 4, 5, null],
    ]);
    expect(b.every((x) => x.batches === 3)).toBe(true);
    for (const batchSize of [null, 5, 99]) {
      expect([...schedule({ epochs: 1, count: 5, batchSize })].map((x) => [x.start, x.end, x.batches])).toEqual([[0, 5, 1]]);
    }
  });

  it("with an rng: one permutation per epoch, drawn before the epoch's steps draw from the same stream", () => {
    const seen: number[][] = [];
    const draws: number[] = [];
    fit({ epochs: 2, count: 7, batchSize: 3, rng: createRng(5) }, (b) => {
      seen.push(Array.from(b.rows ?? []));
      draws.push(b.rng?.int(1000) ?? -1);
      return 0;
    });
    // The same stream by hand: permutation, one draw per batch, next permutation, ...
    const rng = createRng(5);
    const expectedRows: number[][] = [];
    const expectedDraws: number[] = [];
    for (let e = 0; e < 2; e++) {
      const order = permutation(7, rng);
      for (const [s, t] of [
        [0, 3],
        [3, 6],
        [6, 7],
      ]) {
        expectedRows.push(Array.from(order.subarray(s, t)));
        expectedDraws.push(rng.int(1000));
      }
    }
    expect(seen).toEqual(expectedRows);
    expect(draws).toEqual(expectedDraws);
    expect(seen[0]).not.toEqual(seen[3]); // a new order each epoch
  });

  it('rejects bad options naming the field', () => {
    expect(() => [...schedule({ epochs: 1, count: 0, batchSize: null })]).toThrow(/count/);
    expect(() => [...schedule({ epochs: -1, count: 3, batchSize: null })]).toThrow(/epochs/);
    expect(() => [...schedule({ epochs: 1, count: 3, batchSize: 0 })]).toThrow(/batchSize/);
    expect(() => [...schedule({ epochs: 1, count: 3, batchSize: 1.5 })]).toThrow(/batchSize/);
  });
});

describe('fit', () => {
  it('records every step loss, the epoch means, and calls back in order', () => {
    const events: string[] = [];
    let k = 0;
    const r = fit(
      {
        epochs: 2,
        count: 5,
        batchSize: 2,
        onBatch: (b, loss) => events.push(`b${b.epoch}.${b.index}=${loss}`),
        onEpoch: (e, mean) => events.push(`e${e}=${mean}`),
      },
      () => ++k,
    );
    expect(Array.from(r.batchLosses)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(r.epochLosses)).toEqual([2, 5]);
    expect(events).toEqual(['b0.0=1', 'b0.1=2', 'b0.2=3', 'e0=2', 'b1.0=4', 'b1.1=5', 'b1.2=6', 'e1=5']);
  });

  it("epochMean 'rows' weights each step loss by its rows (a short last batch counts less)", () => {
    let k = 0;
    const r = fit({ epochs: 1, count: 5, batchSize: 2, epochMean: 'rows' }, () => ++k);
    expect(Array.from(r.epochLosses)).toEqual([(1 * 2 + 2 * 2 + 3 * 1) / 5]);
  });

  it('failOnNonFinite stops at the first NaN or infinite loss, naming epoch and batch (1-based)', () => {
    const losses = [1, 2, NaN, 4];
    let i = 0;
    expect(() => fit({ epochs: 2, count: 4, batchSize: 2, failOnNonFinite: true }, () => losses[i++])).toThrow(
      'training diverged: loss is NaN at epoch 2, batch 1',
    );
    expect(i).toBe(3);
    i = 0;
    expect(Number.isNaN(fit({ epochs: 2, count: 4, batchSize: 2 }, () => losses[i++]).epochLosses[1])).toBe(true);
  });

  it('fitAsync walks the same schedule and gives the same losses as fit', async () => {
    const o = { epochs: 3, count: 10, batchSize: 4 };
    const loss = (b: FitBatch): number => Array.from(b.rows ?? []).reduce((s, r) => s + r, 0) / (b.end - b.start) + b.epoch;
    const sync = fit({ ...o, rng: createRng(1) }, loss);
    const async = await fitAsync({ ...o, rng: createRng(1), yieldEvery: 1 }, async (b) => loss(b));
    expect(async).toEqual(sync);
  });

  it("fitAsync awaits an asynchronous epoch callback before the next epoch's first step", async () => {
    const events: string[] = [];
    await fitAsync(
      {
        epochs: 2,
        count: 2,
        batchSize: 1,
        onEpoch: async (e) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          events.push(`epoch ${e}`);
        },
      },
      async (b) => {
        events.push(`step ${b.epoch}.${b.index}`);
        return 0;
      },
    );
    expect(events).toEqual(['step 0.0', 'step 0.1', 'epoch 0', 'step 1.0', 'step 1.1', 'epoch 1']);
  });

  it("fitAsync stops after the epoch whose callback returns 'stop', returning only the losses run", async () => {
    const steps: string[] = [];
    const result = await fitAsync({ epochs: 5, count: 3, batchSize: 2, onEpoch: (e) => (e === 1 ? 'stop' : undefined) }, async (b) => {
      steps.push(`${b.epoch}.${b.index}`);
      return b.epoch + 1;
    });
    expect(steps).toEqual(['0.0', '0.1', '1.0', '1.1']);
    expect(Array.from(result.batchLosses)).toEqual([1, 1, 2, 2]);
    expect(Array.from(result.epochLosses)).toEqual([1, 2]);
  });
});
