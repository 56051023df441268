import { createRng } from '@rdl/data';
import { describe, expect, it } from 'vitest';
import { averagePrecision, failureMetrics, fprAtTpr, oodMetrics, rocAuc, type Score } from '../src/index.js';

// Brute-force references straight from the definitions, O(n²).
function bruteAuroc(labels: number[], scores: number[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      sum += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return sum / pairs;
}

/** AP = mean over positives of the precision at that positive's score (all samples scoring ≥ it). */
function bruteAp(labels: number[], scores: number[]): number {
  let sum = 0;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    positives++;
    let above = 0;
    let posAbove = 0;
    for (let j = 0; j < labels.length; j++) {
      if (scores[j] >= scores[i]) {
        above++;
        posAbove += labels[j];
      }
    }
    sum += posAbove / above;
  }
  return sum / positives;
}

function bruteFprAtTpr(labels: number[], scores: number[], tpr: number): number {
  const p = labels.filter((y) => y === 1).length;
  const n = labels.length - p;
  const thresholds = [...new Set(scores)].sort((a, b) => b - a);
  for (const t of thresholds) {
    const tp = labels.filter((y, i) => y === 1 && scores[i] >= t).length;
    if (tp / p >= tpr) return labels.filter((y, i) => y === 0 && scores[i] >= t).length / n;
  }
  throw new Error('unreachable');
}

describe('ranking metrics on hand cases', () => {
  // Sorted: 0.9(+) | 0.8(+,−) | 0.6(+,−) | 0.1(−). P = N = 3.
  const labels = [1, 0, 1, 1, 0, 0];
  const scores = [0.9, 0.8, 0.8, 0.6, 0.6, 0.1];

  it('AP groups tied scores into one threshold: 1/3·1 + 1/3·2/3 + 1/3·3/5 = 34/45', () => {
    expect(averagePrecision(labels, scores)).toBeCloseTo(34 / 45, 12);
    // Splitting each tie with the positive first would give 1/3·1 + 1/3·1 + 1/3·3/4 = 11/12 instead.
    expect(averagePrecision(labels, scores)).not.toBeCloseTo(11 / 12, 6);
  });

  it('AUROC counts ties as 1/2: (3 + 2.5 + 1.5)/9 = 7/9', () => {
    expect(rocAuc(labels, scores)).toBeCloseTo(7 / 9, 12);
  });

  it('FPR at the first grouped threshold reaching the recall', () => {
    expect(fprAtTpr(labels, scores)).toBeCloseTo(2 / 3, 12); // recall 1 needs threshold 0.6: 2 of 3 negatives
    expect(fprAtTpr(labels, scores, 0.5)).toBeCloseTo(1 / 3, 12); // threshold 0.8: recall 2/3
    expect(fprAtTpr(labels, scores, 1 / 3)).toBe(0); // threshold 0.9
  });

  it('perfect ranking: AP = 1, AUROC = 1, FPR95 = 0', () => {
    const y = [0, 0, 1, 1];
    const s = [0.1, 0.2, 0.8, 0.9];
    expect(averagePrecision(y, s)).toBe(1);
    expect(rocAuc(y, s)).toBe(1);
    expect(fprAtTpr(y, s)).toBe(0);
  });

  it('inverted ranking: AUROC = 0, AP = 1/2·1/3 + 1/2·2/4 = 5/12, FPR95 = 1', () => {
    const y = [1, 1, 0, 0];
    const s = [0.1, 0.2, 0.8, 0.9];
    expect(rocAuc(y, s)).toBe(0);
    expect(averagePrecision(y, s)).toBeCloseTo(5 / 12, 12);
    expect(fprAtTpr(y, s)).toBe(1);
  });

  it('all scores tied: AUROC = 1/2, AP = prevalence, FPR95 = 1', () => {
    const y = [1, 0, 0, 0];
    const s = new Float32Array([0.5, 0.5, 0.5, 0.5]);
    expect(rocAuc(y, s)).toBe(0.5);
    expect(averagePrecision(y, s)).toBe(0.25);
    expect(fprAtTpr(y, s)).toBe(1);
  });

  it('accepts typed arrays and infinite scores', () => {
    const y = new Uint8Array([0, 1, 0, 1]);
    const s = new Float64Array([-Infinity, Infinity, 0, Infinity]);
    expect(rocAuc(y, s)).toBe(1);
    expect(averagePrecision(y, s)).toBe(1);
  });
});

describe('ranking metrics reject bad input with a clear message', () => {
  const fns = { averagePrecision, rocAuc, fprAtTpr } as const;
  for (const [name, fn] of Object.entries(fns)) {
    it(name, () => {
      expect(() => fn([1, 1, 1], [0.1, 0.2, 0.3])).toThrow(new RegExp(`${name}: labels hold no negatives`));
      expect(() => fn([0, 0], [0.1, 0.2])).toThrow(/no positives/);
      expect(() => fn([0, 1], [0.1])).toThrow(/labels has 2 entries but scores has 1/);
      expect(() => fn([0, 1], [0.1, Number.NaN])).toThrow(/scores\[1\] is NaN/);
      expect(() => fn([0, 2], [0.1, 0.2])).toThrow(/labels must be 0 or 1.*labels\[1\] = 2/);
      expect(() => fn([], [])).toThrow(/empty/);
    });
  }
  it('fprAtTpr rejects a target recall outside (0, 1]', () => {
    expect(() => fprAtTpr([0, 1], [0, 1], 0)).toThrow(/tpr must be a number in \(0, 1\]/);
    expect(() => fprAtTpr([0, 1], [0, 1], 95)).toThrow(/tpr/);
  });
});

describe('ranking metrics agree with brute force on a random case with ties', () => {
  const rng = createRng(1234);
  const n = 300;
  const labels: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = rng.next() < 0.3 ? 1 : 0;
    labels.push(y);
    // Overlapping classes, rounded to one decimal so that many scores tie.
    scores.push(Math.round((rng.normal(y, 1) + 5) * 10) / 10);
  }

  it('AUROC', () => {
    const expected = bruteAuroc(labels, scores);
    expect(expected).toBeGreaterThan(0.6);
    expect(expected).toBeLessThan(0.95);
    expect(rocAuc(labels, scores)).toBeCloseTo(expected, 12);
  });
  it('AP', () => {
    expect(averagePrecision(labels, scores)).toBeCloseTo(bruteAp(labels, scores), 12);
  });
  it('FPR at several recalls', () => {
    for (const t of [0.5, 0.8, 0.95, 1]) expect(fprAtTpr(labels, scores, t)).toBeCloseTo(bruteFprAtTpr(labels, scores, t), 12);
  });
  it('swapping the positive class complements AUROC', () => {
    const flipped = labels.map((y) => 1 - y);
    const negated = scores.map((s) => -s);
    expect(rocAuc(flipped, scores)).toBeCloseTo(1 - rocAuc(labels, scores), 12);
    expect(rocAuc(flipped, negated)).toBeCloseTo(rocAuc(labels, scores), 12);
  });
});

describe('failureMetrics', () => {
  // Errors at 2 and 3. MCP: error scores (−MCP) sorted: −0.3(err) −0.8 −0.9 −0.95(err).
  const predicted = [0, 1, 2, 3];
  const truth = [0, 1, 0, 0];
  const mcp: Score = { name: 'mcp', values: [0.9, 0.8, 0.3, 0.95], direction: 'higher-is-more-confident' };

  it('hand values, errors positive for AUROC/FPR', () => {
    const m = failureMetrics(mcp, predicted, truth);
    expect(m.positive).toBe('error');
    expect(m.auprError).toBeCloseTo(0.5 * 1 + 0.5 * 0.5, 12);
    expect(m.auprSuccess).toBeCloseTo(0.5 * 0.5 + 0.5 * (2 / 3), 12);
    expect(m.auroc).toBeCloseTo(0.5, 12);
    expect(m.fpr95).toBe(1);
    expect(m.errors).toBe(2);
    expect(m.n).toBe(4);
  });

  it('an uncertainty with the opposite sign gives the same numbers', () => {
    const neg: Score = { name: 'neg-mcp', values: [-0.9, -0.8, -0.3, -0.95], direction: 'higher-is-more-uncertain' };
    const a = failureMetrics(mcp, predicted, truth);
    const b = failureMetrics(neg, predicted, truth);
    expect(b).toEqual(a);
  });

  it('a score with the wrong declared direction gives the mirrored numbers', () => {
    const wrong: Score = { ...mcp, direction: 'higher-is-more-uncertain' };
    expect(failureMetrics(wrong, predicted, truth).auroc).toBeCloseTo(0.5, 12);
    const good: Score = { name: 'mcp', values: [0.9, 0.8, 0.3, 0.7], direction: 'higher-is-more-confident' };
    expect(failureMetrics(good, predicted, truth).auroc).toBe(1);
    expect(failureMetrics({ ...good, direction: 'higher-is-more-uncertain' }, predicted, truth).auroc).toBe(0);
  });

  it('checks lengths', () => {
    expect(() => failureMetrics({ ...mcp, values: [0.1] }, predicted, truth)).toThrow(/score 'mcp' has 1 values but there are 4/);
  });
});

describe('oodMetrics', () => {
  // OOD scores (−MCP): in −0.9 −0.8 −0.6, out −0.7 −0.5. Sorted: −.5(o) −.6(i) −.7(o) −.8(i) −.9(i).
  const inScore: Score = { name: 'mcp', values: [0.9, 0.8, 0.6], direction: 'higher-is-more-confident' };
  const outScore: Score = { name: 'mcp', values: [0.7, 0.5], direction: 'higher-is-more-confident' };

  it('hand values, OOD positive for AUROC/FPR', () => {
    const m = oodMetrics(inScore, outScore);
    expect(m.positive).toBe('ood');
    expect(m.auprOut).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 12);
    expect(m.auprIn).toBeCloseTo(1 / 3 + 1 / 3 + (1 / 3) * (3 / 4), 12);
    expect(m.auroc).toBeCloseTo(5 / 6, 12);
    expect(m.fpr95).toBeCloseTo(1 / 3, 12);
    expect(m.nIn).toBe(3);
    expect(m.nOut).toBe(2);
  });

  it('refuses scores with different directions', () => {
    expect(() => oodMetrics(inScore, { ...outScore, direction: 'higher-is-more-uncertain' })).toThrow(/oodMetrics: inScore 'mcp' is 'higher-is-more-confident'/);
  });
});
