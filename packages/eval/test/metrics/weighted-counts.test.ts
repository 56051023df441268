import { createRng } from '@rdl/core';
import { describe, expect, it } from 'vitest';
import { thresholdCounts } from '../../src/metrics/threshold-counts.js';
import { weightedCountsSweep } from '../../src/metrics/weighted-counts.js';

/** The weighted sample laid out item by item, in a shuffled order so that no sort is given for free. */
function expand(labels: number[], scores: number[], weights: number[], seed: number) {
  const items: number[] = [];
  weights.forEach((w, i) => {
    for (let c = 0; c < w; c++) items.push(i);
  });
  const rng = createRng(seed);
  for (let k = items.length - 1; k > 0; k--) {
    const j = rng.int(k + 1);
    [items[k], items[j]] = [items[j]!, items[k]!];
  }
  return { labels: items.map((i) => labels[i]!), scores: items.map((i) => scores[i]!) };
}

describe('weightedCountsSweep', () => {
  it('hand case with a tie and an undrawn item', () => {
    // Scores 3(pos) 2(neg) 2(pos) 1(neg); weights 2 0 1 3: groups {3}, {2,2}, {1}.
    const sweep = weightedCountsSweep([1, 0, 1, 0], [3, 2, 2, 1]);
    const { descending, ascending } = sweep([2, 0, 1, 3]);
    expect(Array.from(descending.tps)).toEqual([2, 3, 3]);
    expect(Array.from(descending.fps)).toEqual([0, 0, 3]);
    expect(Array.from(ascending.tps)).toEqual([0, 1, 3]);
    expect(Array.from(ascending.fps)).toEqual([3, 3, 3]);
    expect(descending).toMatchObject({ positives: 3, negatives: 3 });
    // A group nobody drew is no threshold: weights 0 on the {2,2} tie.
    const skip = sweep([1, 0, 0, 1]);
    expect(Array.from(skip.descending.tps)).toEqual([1, 1]);
    expect(Array.from(skip.descending.fps)).toEqual([0, 1]);
  });

  it('equals thresholdCounts of the expanded sample (and of the negated scores) on random tied data', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + rng.int(60);
      const labels = Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
      // Few distinct values so that ties are common; ±0 and ±Infinity on purpose.
      const palette = [0, -0, 1, -1, 0.5, Infinity, -Infinity, 2];
      const scores = Array.from({ length: n }, () => palette[rng.int(trial % 2 === 0 ? palette.length : 3)]!);
      const sweep = weightedCountsSweep(labels, scores);
      for (let r = 0; r < 5; r++) {
        const weights = Array.from({ length: n }, () => rng.int(4));
        const total = weights.reduce((a, b) => a + b, 0);
        const { descending, ascending } = sweep(weights);
        const sample = expand(labels, scores, weights, trial * 10 + r);
        const positives = sample.labels.reduce((a, b) => a + b, 0);
        expect(descending.positives).toBe(positives);
        expect(descending.negatives).toBe(total - positives);
        if (positives === 0 || positives === total) continue;
        const down = thresholdCounts(sample.labels, sample.scores);
        const up = thresholdCounts(
          sample.labels,
          sample.scores.map((s) => -s),
        );
        expect(Array.from(descending.tps)).toEqual(Array.from(down.tps));
        expect(Array.from(descending.fps)).toEqual(Array.from(down.fps));
        expect(Array.from(ascending.tps)).toEqual(Array.from(up.tps));
        expect(Array.from(ascending.fps)).toEqual(Array.from(up.fps));
      }
    }
  });

  it('refuses NaN scores, non-binary labels and weights of the wrong length', () => {
    expect(() => weightedCountsSweep([0, 1], [0.1, NaN])).toThrow(/weightedCountsSweep: scores\[1\] is NaN/);
    expect(() => weightedCountsSweep([0, 2], [0.1, 0.2])).toThrow(/labels\[1\] = 2/);
    expect(() => weightedCountsSweep([0, 1], [0.1])).toThrow(/labels has 2 entries but scores has 1/);
    expect(() => weightedCountsSweep([0, 1], [0.1, 0.2])([1])).toThrow(/weights has 1 entries, expected 2/);
  });
});
