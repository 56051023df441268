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

test('week2 (smoke) runs end to end; the same config and seed give an identical results.json', async () => {
  const first = await runWeek2();
  const results = JSON.parse(first.results) as Record<string, Record<string, unknown>>;
  expect(Object.keys(results).sort()).toEqual(['1.1', '1.2', '1.3', '2.1', '2.2']);
  const map = results['1.1']!.MAP as { accuracy: number; entropyFarNearRatio: number };
  expect(map.accuracy).toBeGreaterThanOrEqual(0.95);
  const laplace = results['1.2']!.Laplace as { miFarNearRatio: number; entropyFar: number };
  expect(laplace.miFarNearRatio).toBeGreaterThan(1);
  const html = readFileSync(join(outputsDir(first.root, 'week2', 'report'), 'index.html'), 'utf8');
  for (const id of ['1.1', '1.2', '1.3', '2.1', '2.2']) expect(html).toContain(id);
  const second = await runWeek2();
  expect(second.results).toBe(first.results);
}, 300_000);
