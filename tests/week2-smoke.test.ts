import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runStage } from '../packages/pipeline/src/core/runner.js';
import { outputsDir } from '../packages/pipeline/src/core/store.js';
import { week2 } from '../packages/pipeline/src/weeks/week2/pipeline.js';
import { repoRoot } from './support/workspace-copy.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

async function runWeek2(): Promise<{ root: string; results: string }> {
  const root = mkdtempSync(join(tmpdir(), 'rdl-week2-'));
  roots.push(root);
  cpSync(join(repoRoot, 'configs'), join(root, 'configs'), { recursive: true });
  for (const stage of week2.stages) await runStage(week2, stage.name, { root, configRef: 'smoke', overrides: [], log: () => undefined });
  return { root, results: readFileSync(join(outputsDir(root, 'week2', 'report'), 'results.json'), 'utf8') };
}

type Metrics = { method: string; dataset: string; accuracy: number; entropyFar: number; miNear: number; miFar: number };
type Claim = {
  claim: string;
  method: string;
  baseline: string;
  dataset: string;
  value: number;
  reference: number;
  difference: number;
  holds: boolean;
};

test('week2 (smoke) runs end to end; claims match the metrics; the same config and seed give an identical results.json', async () => {
  const first = await runWeek2();
  const results = JSON.parse(first.results) as Record<string, Record<string, unknown>> & { claims: Claim[] };
  expect(Object.keys(results).sort()).toEqual(['1.1', '1.2', '1.3', '2.1', '2.2', 'claims']);
  const map = results['1.1']!.MAP as Metrics;
  expect(map.accuracy).toBeGreaterThanOrEqual(0.95);
  const converged = results['1.1']!['MAP (converged)'] as Metrics;
  expect(converged.accuracy).toBeGreaterThanOrEqual(0.95);

  // The converged MAP is a minimum, the course's 20 SGD epochs are not, and the loss says which is lower.
  const check = results['1.1']!.mapCheck as { loss: number; gradientNorm: number; convergedLoss: number; convergedGradientNorm: number };
  expect(check.convergedGradientNorm).toBeLessThan(1e-10);
  expect(check.gradientNorm).toBeGreaterThan(1e-4);
  expect(check.convergedLoss).toBeLessThan(check.loss);

  // Laplace's logit variance φᵀΣφ grows with ‖x‖, so its epistemic part must be larger far from the data.
  const laplace = results['1.2']!.Laplace as Metrics;
  expect(laplace.miFar).toBeGreaterThan(laplace.miNear);

  // Every pair has both claims, and each is judged on the numbers in the metrics, not the ratio.
  const claims = results.claims;
  const pairs = new Set(claims.map((c) => `${c.method}|${c.baseline}|${c.dataset}`));
  expect(pairs).toEqual(
    new Set([
      'Laplace|MAP|blobs',
      'Laplace (converged MAP)|MAP (converged)|blobs',
      'VI|MAP|blobs',
      'VI|Deterministic|moons',
      'MC dropout|Deterministic|moons',
      'VI|Deterministic|noisyMoons',
      'MC dropout|Deterministic|noisyMoons',
    ]),
  );
  expect(claims).toHaveLength(14);
  const metricsOf = (method: string, dataset: string): Metrics => {
    for (const section of ['1.1', '1.2', '1.3'] as const) {
      const m = results[section]![method] as Metrics | undefined;
      if (dataset === 'blobs' && m?.dataset === 'blobs') return m;
    }
    const moons = (['2.1', '2.2'] as const).map((s) => (results[s]![dataset] as Record<string, Metrics>)[method]).find(Boolean);
    if (!moons) throw new Error(`no metrics for ${method} on ${dataset}`);
    return moons;
  };
  for (const c of claims) {
    const bayes = metricsOf(c.method, c.dataset);
    if (c.claim === 'far-entropy-above-baseline') {
      expect([c.value, c.reference]).toEqual([bayes.entropyFar, metricsOf(c.baseline, c.dataset).entropyFar]);
    } else {
      expect(c.claim).toBe('epistemic-far-above-near');
      expect([c.value, c.reference]).toEqual([bayes.miFar, bayes.miNear]);
    }
    expect(c.holds).toBe(c.value > c.reference);
    expect(c.difference).toBeCloseTo(c.value - c.reference, 12);
  }

  const html = readFileSync(join(outputsDir(first.root, 'week2', 'report'), 'index.html'), 'utf8');
  for (const id of ['1.1', '1.2', '1.3', '2.1', '2.2']) expect(html).toContain(id);
  expect(html).toContain('Claims per pair');
  expect(html).toContain('converged (Newton');
  const second = await runWeek2();
  expect(second.results).toBe(first.results);
}, 300_000);
