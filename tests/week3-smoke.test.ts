import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageSetFromTable } from '@rdl/data';
import { predictProbs } from '@rdl/models';
import { initBackend } from '@rdl/runtime';
import { tableFromIPC, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runStage } from '../packages/pipeline/src/core/runner.js';
import { lenetFromArtifact } from '../packages/pipeline/src/weeks/week3/lenet-checkpoint.js';
import { matrixColumn } from '../packages/pipeline/src/weeks/week3/tables.js';
import { week3 } from '../packages/pipeline/src/weeks/week3/pipeline.js';
import { bruteAp, bruteAuroc, bruteAurc, bruteFprAtTpr, negate } from './support/brute-metrics.js';
import { repoRoot } from './support/workspace-copy.js';

// The whole week-3 DAG in process on the smoke profile, in a temp root holding a copy of configs/
// (artifacts land there, not in the checkout).
let root = '';
const quiet = () => undefined;
const run = (stage: string, overrides: { path: string[]; value: unknown }[] = []) =>
  runStage(week3, stage, { root, configRef: 'smoke', overrides, log: quiet });

type Json = Record<string, unknown>;
const readJson = (stage: string, name: string): Json =>
  JSON.parse(readFileSync(join(root, 'artifacts', 'week3', stage, 'outputs', `${name}.json`), 'utf8')) as Json;
const table = (stage: string, name: string) =>
  tableFromIPC(readFileSync(join(root, 'artifacts', 'week3', stage, 'outputs', `${name}.arrow`)));
const column = (t: Table, name: string): number[] => Array.from(t.getChild(name)!.toArray() as ArrayLike<number>);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rdl-week3-'));
  cpSync(join(repoRoot, 'configs'), join(root, 'configs'), { recursive: true });
  for (const stage of week3.stages) await run(stage.name);
}, 300_000);
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('week3 on the smoke config', () => {
  test('every stage wrote its folder and a manifest', () => {
    for (const stage of week3.stages) {
      const manifest = JSON.parse(readFileSync(join(root, 'artifacts', 'week3', stage.name, 'manifest.json'), 'utf8')) as {
        stage: string;
        durationMs: number;
      };
      expect(manifest.stage).toBe(stage.name);
      expect(manifest.durationMs).toBeGreaterThan(0);
    }
    const backend = JSON.parse(readFileSync(join(root, 'artifacts', 'week3', 'train-lenet', 'manifest.json'), 'utf8')) as { records: Json };
    expect(['wasm', 'cpu', 'tensorflow']).toContain(backend.records.backend);
  });

  test('results.json: I is recomputed from the predictions, not only range-checked', () => {
    const r = readJson('report', 'results') as Record<'I' | 'II' | 'III', Json>;
    expect(Object.keys(r).sort()).toEqual(['I', 'II', 'III']);
    const I = r.I as { testAccuracy: number; mcDropoutAccuracy: number; variationRatio: { correct: Json; wrong: Json } };
    const t = table('predict', 'test');
    const labels = column(t, 'label');
    const predicted = column(t, 'predicted');
    const mcPredicted = column(t, 'mcPredicted');
    const share = (a: number[]) => a.filter((p, i) => p === labels[i]).length / labels.length;
    expect(I.testAccuracy).toBe(share(predicted));
    expect(I.mcDropoutAccuracy).toBe(share(mcPredicted));
    expect(I.variationRatio.wrong.count).toBe(mcPredicted.filter((p, i) => p !== labels[i]).length);
    expect((I.variationRatio.correct.count as number) + (I.variationRatio.wrong.count as number)).toBe(500);
  });

  test('II: every failure metric equals a brute-force recomputation from the stage inputs', () => {
    const II = readJson('report', 'results').II as {
      methods: Record<string, Json & { intervals: Record<string, { low: number; high: number }> }>;
    };
    expect(Object.keys(II.methods).sort()).toEqual(['ConfidNet', 'MC dropout', 'MC dropout (own errors)', 'MCP']);
    const t = table('predict', 'test');
    const labels = column(t, 'label');
    const predicted = column(t, 'predicted');
    const mcPredicted = column(t, 'mcPredicted');
    const probs = matrixColumn(t, 'probs', 'predict test');
    const mcp = labels.map((_, i) => Math.max(...probs.values.subarray(i * probs.width, (i + 1) * probs.width)));
    const mcConfidence = column(t, 'mcConfidence');
    const confidnet = column(table('train-confidnet', 'scores'), 'confidnet');
    const detErrors = predicted.map((p, i) => (p === labels[i] ? 0 : 1));
    const mcErrors = mcPredicted.map((p, i) => (p === labels[i] ? 0 : 1));
    // Every method's confidence, and whose errors it ranks.
    const cases: [string, number[], number[]][] = [
      ['MCP', mcp, detErrors],
      ['MC dropout', mcConfidence, detErrors],
      ['ConfidNet', confidnet, detErrors],
      ['MC dropout (own errors)', mcConfidence, mcErrors],
    ];
    for (const [method, confidence, isError] of cases) {
      const m = II.methods[method]!;
      const isSuccess = isError.map((e) => 1 - e);
      const expected = {
        auprError: bruteAp(isError, negate(confidence)),
        auprSuccess: bruteAp(isSuccess, confidence),
        auroc: bruteAuroc(isError, negate(confidence)),
        fpr95: bruteFprAtTpr(isError, negate(confidence)),
        fpr95Success: bruteFprAtTpr(isSuccess, confidence),
        aurc: bruteAurc(isError, confidence),
      };
      for (const [key, value] of Object.entries(expected)) {
        expect(m[key], `${method} ${key}`).toBeCloseTo(value, 10);
        // The interval must hold the value it is an interval of.
        expect(m.intervals[key]!.low, `${method} ${key} low`).toBeLessThanOrEqual(value + 1e-12);
        expect(m.intervals[key]!.high, `${method} ${key} high`).toBeGreaterThanOrEqual(value - 1e-12);
      }
      expect(m.errors).toBe(isError.reduce((a, b) => a + b, 0));
    }
    // The three comparable rows share one positive set; the own-errors row does not.
    expect(II.methods['MC dropout']!.errors).toBe(II.methods.MCP!.errors);
    expect(II.methods['MC dropout']!.predictions).toBe('deterministic');
    expect(II.methods['MC dropout (own errors)']!.predictions).toBe('mc-dropout');
  });

  test('III: every OOD metric equals a brute-force recomputation, for both ODIN tunings', () => {
    const III = readJson('report', 'results').III as {
      methods: Record<string, Json>;
      odin: Json;
      odinOodFree: Json;
      oodDroppedRows: number;
    };
    expect(Object.keys(III.methods).sort()).toEqual(['MC dropout', 'MCP', 'ODIN', 'ODIN (OOD-free)']);
    // Fashion-MNIST's class-0 file holds 2 empty rows.
    expect(III.oodDroppedRows).toBe(2);
    const maxProb = (name: string) => {
      const p = matrixColumn(table('predict', name), 'probs', `predict ${name}`);
      return Array.from({ length: p.values.length / p.width }, (_, i) => Math.max(...p.values.subarray(i * p.width, (i + 1) * p.width)));
    };
    // Confidences (higher = more in-distribution), MNIST test then OOD test.
    const cases: [string, number[], number[]][] = [
      ['MCP', maxProb('test'), maxProb('ood')],
      ['MC dropout', negate(column(table('predict', 'test'), 'entropy')), negate(column(table('predict', 'ood'), 'entropy'))],
      ['ODIN', column(table('odin', 'test'), 'odin'), column(table('odin', 'ood'), 'odin')],
      ['ODIN (OOD-free)', column(table('odin-ood-free', 'test'), 'odin'), column(table('odin-ood-free', 'ood'), 'odin')],
    ];
    for (const [method, inConf, outConf] of cases) {
      const m = III.methods[method]!;
      const confidence = [...inConf, ...outConf];
      const isIn = confidence.map((_, i) => (i < inConf.length ? 1 : 0));
      const isOod = isIn.map((v) => 1 - v);
      const expected = {
        auprIn: bruteAp(isIn, confidence),
        auprOut: bruteAp(isOod, negate(confidence)),
        auroc: bruteAuroc(isOod, negate(confidence)),
        fpr95: bruteFprAtTpr(isOod, negate(confidence)),
        fpr95In: bruteFprAtTpr(isIn, confidence),
      };
      for (const [key, value] of Object.entries(expected)) expect(m[key], `${method} ${key}`).toBeCloseTo(value, 10);
    }
    expect(III.methods.ODIN!.tuning).toBe('held-out-ood');
    expect(III.methods['ODIN (OOD-free)']!.tuning).toBe('ood-free');
  });

  test('each ODIN choice is the grid point whose tuning AUROC, recomputed from the grid scores, is highest', () => {
    for (const [gridStage, selectStage] of [
      ['odin-grid', 'odin-select'],
      ['odin-grid-ood-free', 'odin-select-ood-free'],
    ] as const) {
      const grid = readJson(gridStage, 'grid') as { tuneIn: number; tuneOut: number };
      const choice = readJson(selectStage, 'choice') as {
        temperature: number;
        epsilon: number;
        value: number;
        grid: { T: number; eps: number; value: number }[];
      };
      const scores = table(gridStage, 'scores');
      const T = column(scores, 'T');
      const eps = column(scores, 'eps');
      const score = column(scores, 'score');
      const isOod = column(scores, 'isOod');
      const points = [...new Set(T.map((t, i) => `${t}|${eps[i]}`))];
      expect(points.length, `${gridStage}: the grid must offer a choice`).toBeGreaterThan(1);
      let best = { key: '', value: -Infinity };
      for (const key of points) {
        const rows = T.flatMap((t, i) => (`${t}|${eps[i]}` === key ? [i] : []));
        expect(rows.length).toBe(grid.tuneIn + grid.tuneOut);
        // ODIN is a confidence: OOD positive ranks by its negation.
        const auroc = bruteAuroc(
          rows.map((i) => isOod[i]!),
          rows.map((i) => -score[i]!),
        );
        const [t, e] = key.split('|').map(Number);
        expect(choice.grid.find((g) => g.T === t && g.eps === e)!.value, `${selectStage} at ${key}`).toBeCloseTo(auroc, 10);
        if (auroc > best.value) best = { key, value: auroc };
      }
      expect(`${choice.temperature}|${choice.epsilon}`, selectStage).toBe(best.key);
      expect(choice.value).toBeCloseTo(best.value, 10);
    }
    // The odin stages score the test images at the point their select stage chose.
    expect(readJson('odin', 'result')).toEqual(readJson('odin-select', 'choice'));
    expect(readJson('odin-ood-free', 'result')).toEqual(readJson('odin-select-ood-free', 'choice'));
  });

  test('the report pages and figures exist', () => {
    const html = readFileSync(join(root, 'artifacts', 'week3', 'report', 'outputs', 'index.html'), 'utf8');
    expect(html).toContain('AUPR-Error');
    expect(html).toContain('<svg');
    for (const name of ['mostConfident', 'leastConfident', 'votes', 'failurePr', 'riskCoverage', 'oodPr', 'oodRoc']) {
      expect(existsSync(join(root, 'artifacts', 'week3', 'figures', 'outputs', `${name}.png`)), name).toBe(true);
    }
  });

  test('MCP probabilities computed from the stored features match the network run end to end', async () => {
    await initBackend();
    const weights = {
      manifest: readFileSync(join(root, 'artifacts', 'week3', 'train-lenet', 'outputs', 'weights.manifest.json'), 'utf8'),
      data: new Uint8Array(readFileSync(join(root, 'artifacts', 'week3', 'train-lenet', 'outputs', 'weights.bin'))),
    };
    const meta = (readJson('train-lenet', 'history') as { model: { dropout: number; seed: number } }).model;
    const model = lenetFromArtifact(weights, meta);
    const test = imageSetFromTable(table('mnist', 'test'), 'mnist test');
    const direct = await predictProbs(model, test.pixels, 40, { batchSize: 40 });
    model.dispose();
    const stored = matrixColumn(table('predict', 'test'), 'probs', 'predict test').values;
    let maxDiff = 0;
    for (let i = 0; i < direct.length; i++) maxDiff = Math.max(maxDiff, Math.abs(direct[i]! - stored[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  test('a missing IDX file fails naming the file and leaves no ood-data folder', async () => {
    const missing = join(root, 'no-such-dir', 'kmnist-images-idx3-ubyte');
    const source = { kind: 'idx', imagesPath: missing, labelsPath: join(root, 'no-such-dir', 'kmnist-labels-idx1-ubyte'), name: 'kmnist' };
    await expect(run('ood-data', [{ path: ['ood-data', 'source'], value: source }])).rejects.toThrow(missing);
    expect(existsSync(join(root, 'artifacts', 'week3', 'ood-data'))).toBe(false);
  });
});
