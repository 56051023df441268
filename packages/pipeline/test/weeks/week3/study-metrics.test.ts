import { summarizeSeeds, type SeedValue } from '@rdl/eval';
import { describe, expect, it } from 'vitest';
import { week3Format, week3Notes, week3Pairs, week3SeedValues, week3Unit } from '../../../src/weeks/week3/study-metrics.js';
import type { FailureResults } from '../../../src/weeks/week3/failure.js';
import type { OodResults } from '../../../src/weeks/week3/ood.js';
import type { ConfidNetHistory } from '../../../src/weeks/week3/train-confidnet.js';

/** A study's summary from hand-made ConfidNet and MCP AUPR-Errors (test and validation) per seed. */
function summary(test: [number, number][], validation: [number, number][]) {
  const values: SeedValue[] = [];
  test.forEach(([confidNet, mcp], seed) => {
    values.push({ seed, method: 'ConfidNet', metric: 'AUPR-Error', value: confidNet });
    values.push({ seed, method: 'MCP', metric: 'AUPR-Error', value: mcp });
  });
  validation.forEach(([confidNet, mcp], seed) => {
    values.push({ seed, method: 'ConfidNet', metric: 'validation AUPR-Error', value: confidNet });
    values.push({ seed, method: 'MCP', metric: 'validation AUPR-Error', value: mcp });
  });
  const pairs = week3Pairs().filter((p) => p.a.metric === 'AUPR-Error' || p.a.metric === 'validation AUPR-Error');
  return {
    ...summarizeSeeds(
      values,
      pairs.filter((p) => p.b.method === 'MCP'),
    ),
    seeds: [0, 1, 2],
    weekSeed: 0,
    values,
  };
}

describe("week 3 study's verdict on ConfidNet vs MCP", () => {
  it('says "reached" only when ConfidNet is above MCP in every seed, and quotes both differences', () => {
    const notes = week3Notes(
      summary(
        [
          [0.4, 0.3],
          [0.5, 0.45],
          [0.42, 0.41],
        ],
        [
          [0.4, 0.38],
          [0.5, 0.49],
          [0.3, 0.31],
        ],
      ),
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /claim, ConfidNet above MCP on AUPR-Error: reached here\. Test: 5\.33 ± 4\.51 points, ConfidNet above in 3 of 3 seeds/,
    );
    expect(notes[0]).toMatch(
      /Validation selection half, where ConfidNet's epoch is chosen: 0\.67 ± 1\.53 points, ConfidNet above in 2 of 3 seeds/,
    );
  });

  it('says "not reached" with the evidence when the mean difference is not positive, "mixed" when the seeds disagree', () => {
    const notReached = week3Notes(
      summary(
        [
          [0.3, 0.4],
          [0.4, 0.41],
          [0.45, 0.42],
        ],
        [],
      ),
    );
    expect(notReached[0]).toMatch(/: not reached here\. Test: -2\.67/);
    expect(notReached[1]).toMatch(/docs\/confidnet-protocol\.md/);
    const mixed = week3Notes(
      summary(
        [
          [0.5, 0.4],
          [0.4, 0.41],
          [0.45, 0.42],
        ],
        [],
      ),
    );
    expect(mixed[0]).toMatch(/not clearly reached \(mixed across seeds\)/);
  });

  it('prints fractions as percentages and epoch counts as they are', () => {
    expect(week3Format('AUPR-Error', 0.35051)).toBe(35.05);
    expect(week3Unit('AUPR-Error')).toBe(' %');
    expect(week3Format('ConfidNet epoch kept', 7)).toBe(7);
    expect(week3Unit('ConfidNet epoch kept')).toBe('');
    expect(week3Format('AURC', 0.00071234)).toBe(0.71);
    expect(week3Unit('AURC')).toBe(' ‰');
  });
});

describe("week 3 study's per-seed validation evidence", () => {
  const failure = { results: { accuracy: { deterministic: 0.99, mcDropout: 0.99 }, methods: [] } as unknown as FailureResults };
  const ood = { results: { methods: [] } as unknown as OodResults };
  const phase1 = [0.3, 0.35, 0.34].map((valAuprError, i) => ({ epoch: i + 1, trainLoss: 0.01, valLoss: 0.01, valAuprError }));
  const history = { bestEpoch: 2, epochs: 3, history: phase1, validationMcpAuprError: 0.33, fineTune: null } as unknown as ConfidNetHistory;
  const value = (h: ConfidNetHistory, method: string, metric: string) =>
    week3SeedValues({ failure, ood, trainConfidNet: { history: h } }).find((v) => v.method === method && v.metric === metric)?.value;

  it("reads phase 1's kept epoch, MCP on the same images, and the epochs", () => {
    expect(value(history, 'ConfidNet', 'validation AUPR-Error')).toBe(0.35);
    expect(value(history, 'MCP', 'validation AUPR-Error')).toBe(0.33);
    expect(value(history, 'ConfidNet', 'ConfidNet epochs trained')).toBe(3);
    expect(value(history, 'ConfidNet', 'ConfidNet epoch kept')).toBe(2);
  });

  it("reads phase 2's kept epoch when it ran (its epoch 0 is phase 1)", () => {
    const fineTune = {
      bestEpoch: 1,
      history: [0.35, 0.41].map((valAuprError, epoch) => ({ epoch, trainLoss: null, valLoss: 0.01, valAuprError })),
    };
    expect(value({ ...history, fineTune } as unknown as ConfidNetHistory, 'ConfidNet', 'validation AUPR-Error')).toBe(0.41);
    expect(
      value({ ...history, fineTune: { ...fineTune, bestEpoch: 0 } } as unknown as ConfidNetHistory, 'ConfidNet', 'validation AUPR-Error'),
    ).toBe(0.35);
  });
});
