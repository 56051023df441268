import { describe, expect, it } from 'vitest';
import { seedStats, summarizeSeeds, type SeedValue } from '../../src/study/summarize-seeds.js';

const v = (seed: number, method: string, metric: string, value: number): SeedValue => ({ seed, method, metric, value });

// Three seeds worked by hand: MCP 0.4, 0.5, 0.6 (mean 0.5, sd 0.1); ConfidNet 0.45, 0.45, 0.75
// (mean 0.55, sd √0.03 ≈ 0.1732); ConfidNet − MCP per seed 0.05, −0.05, 0.15 (mean 0.05, sd 0.1).
const values = [
  v(2, 'MCP', 'AUPR-Error', 0.6),
  v(0, 'MCP', 'AUPR-Error', 0.4),
  v(1, 'MCP', 'AUPR-Error', 0.5),
  v(0, 'ConfidNet', 'AUPR-Error', 0.45),
  v(1, 'ConfidNet', 'AUPR-Error', 0.45),
  v(2, 'ConfidNet', 'AUPR-Error', 0.75),
  v(0, 'MCP', 'AURC', 0.02),
  v(1, 'MCP', 'AURC', 0.03),
  v(2, 'MCP', 'AURC', 0.01),
  v(0, 'ConfidNet', 'AURC', 0.01),
  v(1, 'ConfidNet', 'AURC', 0.04),
  v(2, 'ConfidNet', 'AURC', 0.005),
];

describe('summarizeSeeds', () => {
  const study = summarizeSeeds(values, [
    { a: { method: 'ConfidNet', metric: 'AUPR-Error' }, b: { method: 'MCP', metric: 'AUPR-Error' }, better: 'higher' },
    { a: { method: 'ConfidNet', metric: 'AURC' }, b: { method: 'MCP', metric: 'AURC' }, better: 'lower' },
    { a: { method: 'ODIN', metric: 'AUROC' }, b: { method: 'MCP', metric: 'AUROC' }, better: 'higher' },
  ]);
  const summary = (method: string, metric: string) => study.summaries.find((s) => s.method === method && s.metric === metric)!;

  it('gives the mean and the sample sd (n − 1) per method and metric, values in seed order', () => {
    expect(study.seeds).toEqual([0, 1, 2]);
    const mcp = summary('MCP', 'AUPR-Error');
    expect(mcp.n).toBe(3);
    expect(mcp.mean).toBeCloseTo(0.5, 12);
    expect(mcp.sd).toBeCloseTo(0.1, 12);
    expect(mcp.values.map((x) => x.seed)).toEqual([0, 1, 2]);
    expect([mcp.min, mcp.max]).toEqual([0.4, 0.6]);
    const cn = summary('ConfidNet', 'AUPR-Error');
    expect(cn.mean).toBeCloseTo(0.55, 12);
    expect(cn.sd).toBeCloseTo(Math.sqrt(0.03), 12);
  });

  it('pairs differences seed by seed: their sd is the paired one, not a combination of the two sds', () => {
    const d = study.differences.find((x) => x.a.metric === 'AUPR-Error')!;
    expect(d.values.map((x) => x.value).map((x) => Number(x.toFixed(12)))).toEqual([0.05, -0.05, 0.15]);
    expect(d.mean).toBeCloseTo(0.05, 12);
    expect(d.sd).toBeCloseTo(0.1, 12);
    expect(d.seedsSupporting).toBe(2);
  });

  it("counts the seeds supporting a 'lower is better' claim by the negative sign", () => {
    const d = study.differences.find((x) => x.a.metric === 'AURC')!;
    expect(d.values.map((x) => Number(x.value.toFixed(12)))).toEqual([-0.01, 0.01, -0.005]);
    expect(d.seedsSupporting).toBe(2);
    expect(d.mean).toBeCloseTo(-0.005 / 3, 12);
  });

  it('skips a pair whose quantities the runs do not have', () => {
    expect(study.differences).toHaveLength(2);
  });

  it('has no sd for a single seed', () => {
    const one = summarizeSeeds([v(4, 'MCP', 'AUROC', 0.9)]);
    expect(one.summaries[0]).toMatchObject({ n: 1, mean: 0.9, sd: null });
    expect(seedStats([{ seed: 0, value: 1 }]).sd).toBeNull();
  });

  it('rejects a value missing for one seed, a repeated value and a non-finite value, naming them', () => {
    expect(() => summarizeSeeds(values.slice(1))).toThrow(/MCP AUPR-Error is missing for seed 2/);
    expect(() => summarizeSeeds([...values, v(1, 'MCP', 'AURC', 0.5)])).toThrow(/seed 1 has two values of MCP AURC/);
    expect(() => summarizeSeeds([v(0, 'MCP', 'AURC', Number.NaN)])).toThrow(/summarizeSeeds: values\.0\.value/);
  });
});
