import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageSetFromTable } from '@rdl/data';
import { predictProbs } from '@rdl/models';
import { initBackend } from '@rdl/runtime';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runStage } from '../packages/pipeline/src/core/runner.js';
import { lenetFromArtifact } from '../packages/pipeline/src/weeks/week3/lenet-checkpoint.js';
import { matrixColumn } from '../packages/pipeline/src/weeks/week3/tables.js';
import { week3 } from '../packages/pipeline/src/weeks/week3/pipeline.js';
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

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rdl-week3-'));
  cpSync(join(repoRoot, 'configs'), join(root, 'configs'), { recursive: true });
  for (const stage of week3.stages) await run(stage.name);
}, 300_000);
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const inUnit = (v: unknown) => {
  expect(typeof v).toBe('number');
  expect(v as number).toBeGreaterThanOrEqual(0);
  expect(v as number).toBeLessThanOrEqual(1);
};

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

  test('results.json holds I, II, III with sane numbers', () => {
    const r = readJson('report', 'results') as Record<'I' | 'II' | 'III', Json>;
    expect(Object.keys(r).sort()).toEqual(['I', 'II', 'III']);
    const I = r.I as { testAccuracy: number; mcDropoutAccuracy: number; variationRatio: { correct: Json; wrong: Json }; ece: Json };
    expect(I.testAccuracy).toBeGreaterThan(0.3); // 10 classes: chance is 0.1
    expect(I.mcDropoutAccuracy).toBeGreaterThan(0.3);
    inUnit(I.ece.deterministic);
    expect((I.variationRatio.correct.count as number) + (I.variationRatio.wrong.count as number)).toBe(500);
    const II = r.II as { methods: Record<string, Json>; publishedAuprErrorPercent: Json };
    expect(Object.keys(II.methods).sort()).toEqual(['ConfidNet', 'MC dropout', 'MCP']);
    for (const m of Object.values(II.methods)) for (const k of ['auprError', 'auprSuccess', 'auroc', 'fpr95']) inUnit(m[k]);
    expect(II.publishedAuprErrorPercent).toEqual({ MCP: 35.05, 'MC dropout': 38.5, ConfidNet: 45.89 });
    const III = r.III as { methods: Record<string, Json>; odin: Json; oodDroppedRows: number };
    expect(Object.keys(III.methods).sort()).toEqual(['MC dropout', 'MCP', 'ODIN']);
    for (const m of Object.values(III.methods)) for (const k of ['auprIn', 'auprOut', 'auroc', 'fpr95']) inUnit(m[k]);
    // Fashion-MNIST's class-0 file holds 2 empty rows.
    expect(III.oodDroppedRows).toBe(2);
    expect([0, 0.0014]).toContain(III.odin.epsilon);
    expect(III.odin.temperature).toBe(1000);
    // A LeNet trained one epoch on 1,700 digits still tells MNIST from clothes better than chance.
    expect((III.methods.MCP as Json).auroc as number).toBeGreaterThan(0.6);
  });

  test('the report pages and figures exist', () => {
    const html = readFileSync(join(root, 'artifacts', 'week3', 'report', 'outputs', 'index.html'), 'utf8');
    expect(html).toContain('AUPR-Error');
    expect(html).toContain('<svg');
    for (const name of ['mostConfident', 'leastConfident', 'votes', 'failurePr', 'oodPr', 'oodRoc']) {
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
