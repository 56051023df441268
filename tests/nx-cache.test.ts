import { appendFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { allPipelines } from '../packages/pipeline/src/pipelines.js';
import { copyWorkspace, runNx, stageStarts } from './support/workspace-copy.js';

// Nx for real, on a private copy of the workspace and the smoke configuration of week 1.
const PIPELINE = 'week1';
const pipeline = allPipelines.find((p) => p.name === PIPELINE)!;
const env = { RDL_CONFIG: 'smoke' };

let root = '';
let cold: Record<string, string | undefined> = {};

function changed(before: Record<string, string | undefined>, after: Record<string, string | undefined>): string[] {
  return pipeline.stages.map((s) => s.name).filter((s) => before[s] !== after[s]).sort();
}

function descendantsOf(name: string): Set<string> {
  const out = new Set<string>([name]);
  for (const stage of pipeline.stages) if (Object.values(stage.needs).some((n) => out.has(n.name))) out.add(stage.name);
  return out;
}

function run(): Record<string, string | undefined> {
  const result = runNx(root, ['run', `pipeline:${PIPELINE}`], env);
  expect(result.status, result.output).toBe(0);
  return stageStarts(root, PIPELINE);
}

beforeAll(() => {
  root = copyWorkspace();
  cold = run();
}, 600_000);
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe(`Nx caching of ${PIPELINE} (smoke config)`, () => {
  test('the cold run computes every stage', () => {
    expect(Object.keys(cold).sort()).toEqual(pipeline.stages.map((s) => s.name).sort());
    for (const stage of pipeline.stages) expect(cold[stage.name], stage.name).toBeDefined();
  });

  test('(a) a second run with no change restores every stage from cache', () => {
    expect(changed(cold, run())).toEqual([]);
  });

  test('(b) after deleting artifacts/, the files come back from cache without recomputing', () => {
    const before = readdirSync(join(root, 'artifacts', PIPELINE)).sort();
    rmSync(join(root, 'artifacts'), { recursive: true, force: true });
    const after = run();
    expect(readdirSync(join(root, 'artifacts', PIPELINE)).sort()).toEqual(before);
    expect(changed(cold, after)).toEqual([]);
  });

  test('(c) editing a source file of packages/eval reruns only the stages that import eval', () => {
    const project = JSON.parse(readFileSync(join(root, 'packages/pipeline/project.json'), 'utf8')) as {
      targets: Record<string, { inputs?: unknown[] }>;
    };
    const importsEval = pipeline.stages
      .map((s) => s.name)
      .filter((s) => (project.targets[`${PIPELINE}-${s}`]?.inputs ?? []).includes('{workspaceRoot}/packages/eval/src/**/*'));
    expect(importsEval.length).toBeGreaterThan(0);
    expect(importsEval.length).toBeLessThan(pipeline.stages.length);
    const before = stageStarts(root, PIPELINE);
    appendFileSync(join(root, 'packages/eval/src/index.ts'), '\n// touched by tests/nx-cache.test.ts\n');
    const rerun = changed(before, run());
    // Eval stages rerun; their outputs are byte-identical, so nothing downstream of them reruns.
    expect(rerun).toEqual(importsEval.sort());
  });

  test('(d) editing the config of one stage reruns that stage and its descendants only', () => {
    const target = pipeline.stages.find((s) => Object.keys(s.needs).length > 0 && pipeline.stages.some((d) => Object.values(d.needs).includes(s)));
    expect(target, 'the pipeline needs a stage with both upstream and downstream stages').toBeDefined();
    const name = target!.name;
    const file = join(root, 'configs', `${PIPELINE}.smoke.json`);
    const config = JSON.parse(readFileSync(file, 'utf8')) as { stages?: Record<string, Record<string, unknown>> };
    const before = stageStarts(root, PIPELINE);
    config.stages = { ...config.stages, [name]: { ...config.stages?.[name], ...mutation(name) } };
    writeFileSync(file, JSON.stringify(config, null, 2));
    const rerun = changed(before, run());
    const allowed = descendantsOf(name);
    expect(rerun).toContain(name);
    for (const stage of rerun) expect(allowed.has(stage), `${stage} is not ${name} or below it`).toBe(true);
    expect(rerun.length).toBeGreaterThan(1);
  });
});

/** A config change for the chosen stage that changes its result. */
function mutation(stage: string): Record<string, unknown> {
  const schema = pipeline.stages.find((s) => s.name === stage)!.configSchema;
  const defaults = schema.parse({}) as Record<string, unknown>;
  if (typeof defaults.alpha === 'number') return { alpha: defaults.alpha * 2 };
  throw new Error(`tests/nx-cache.test.ts: teach mutation() how to change stage '${stage}'`);
}
