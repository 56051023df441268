import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyStage, Pipeline } from '../core/stage.js';
import { analyseCode, type CodeGraph } from './code-graph.js';

export { workspaceRootFromHere } from '../core/root.js';

/** The Nx target of a stage: `<pipeline>-<stage>`, e.g. `week1-data`. */
export function stageTarget(pipeline: string, stage: string): string {
  return `${pipeline}-${stage}`;
}

/** The command behind every stage target, and the script that prints each stage's runtime key. */
export const RUN_STAGE = 'packages/pipeline/src/bin/run-stage.ts';
export const STAGE_KEY = 'packages/pipeline/bin/stage-key.mjs';
/** The program that runs RUN_STAGE: an npm package every stage is keyed on. */
const LOADER = 'tsx';
/** Files the loader reads to compile every module of a run (tsx takes its compiler options from them). */
const LOADER_FILES = ['tsconfig.json', 'tsconfig.base.json'];
/** Named input (in project.json) holding the files every stage run goes through. */
export const RUNNER_INPUT = 'rdl-runner';

const workspaceFile = (file: string): string => `{workspaceRoot}/${file}`;

export interface StageImports extends CodeGraph {
  /** Workspace packages other than pipeline (folder names under packages/) the stage's code reaches. */
  packages: string[];
  /** Files of packages/pipeline the stage's code reaches, relative to the workspace root. */
  pipelineFiles: string[];
  /** Whether the stage runs TensorFlow.js (its code imports an @tensorflow package). */
  tfjs: boolean;
}

const stageModules = (pipelines: readonly Pipeline[]): Set<string> =>
  new Set(pipelines.flatMap((p) => p.stages.map((s) => fileURLToPath(s.module))));

/**
 * What a stage's module can run, transitively (see analyseCode): the files left after tree
 * shaking, the npm packages it loads, the modules it starts at run time. Other stages' modules
 * are boundaries: a stage imports them for their stage objects (to name its needs), and what they
 * compute reaches it through their outputs, which Nx hashes. Their own files still count as
 * inputs; their imports do not.
 */
export async function analyseStageImports(root: string, stage: AnyStage, pipeline?: Pipeline): Promise<StageImports> {
  const own = fileURLToPath(stage.module);
  const boundaries = new Set([...stageModules(pipeline ? [pipeline] : [])].filter((f) => f !== own));
  const graph = await analyseCode(root, [own], { boundaries });
  return {
    ...graph,
    packages: graph.packages.filter((p) => p !== 'pipeline'),
    pipelineFiles: graph.files.filter((f) => f.startsWith('packages/pipeline/')),
    tfjs: graph.externals.some((e) => e.startsWith('@tensorflow/')),
  };
}

/**
 * What every stage run goes through whatever the stage: the runner (RUN_STAGE and what it
 * imports, the stage modules excluded) and the key script Nx runs (STAGE_KEY), plus the loader.
 */
export async function analyseRunner(root: string, pipelines: readonly Pipeline[]): Promise<CodeGraph> {
  const graph = await analyseCode(root, [join(root, RUN_STAGE), join(root, STAGE_KEY)], { excluded: stageModules(pipelines) });
  return {
    ...graph,
    files: [...new Set([...graph.files, ...LOADER_FILES])].sort(),
    externals: [...new Set([...graph.externals, LOADER])].sort(),
  };
}

export interface NxTarget {
  executor: string;
  options?: Record<string, unknown>;
  dependsOn?: string[];
  inputs?: unknown[];
  outputs?: string[];
  cache?: boolean;
  metadata?: { description: string };
}

export async function stageTargetConfig(root: string, pipeline: Pipeline, stage: AnyStage, runner: CodeGraph): Promise<NxTarget> {
  const imports = await analyseStageImports(root, stage, pipeline);
  const runnerFiles = new Set(runner.files);
  // The resolved backend and thread count decide float32 rounding, so a tfjs stage's key holds them.
  const tfjs = imports.tfjs ? ' --tfjs' : '';
  const inputs: unknown[] = [
    RUNNER_INPUT,
    ...imports.files.filter((f) => !runnerFiles.has(f)).map(workspaceFile),
    { externalDependencies: [...new Set([...runner.externals, ...imports.externals])].sort() },
    { runtime: `node --conditions=rdl-source ${STAGE_KEY} ${pipeline.name} ${stage.name}${tfjs}` },
  ];
  const upstream = Object.values(stage.needs).map((s) => stageTarget(pipeline.name, s.name));
  if (upstream.length > 0) inputs.push({ dependentTasksOutputFiles: '**/outputs/**', transitive: false });
  return {
    executor: 'nx:run-commands',
    options: { command: `${LOADER} --conditions=rdl-source ${RUN_STAGE} ${pipeline.name} ${stage.name}${tfjs}`, cwd: '{workspaceRoot}' },
    dependsOn: upstream,
    inputs,
    outputs: [`{workspaceRoot}/artifacts/${pipeline.name}/${stage.name}`],
    cache: true,
    metadata: { description: stage.description },
  };
}

/** The whole project.json of the `pipeline` project, derived from the TypeScript DAG. */
export async function pipelineProject(root: string, pipelines: readonly Pipeline[]): Promise<Record<string, unknown>> {
  const runner = await analyseRunner(root, pipelines);
  const targets: Record<string, NxTarget> = {};
  for (const pipeline of pipelines) {
    for (const stage of pipeline.stages)
      targets[stageTarget(pipeline.name, stage.name)] = await stageTargetConfig(root, pipeline, stage, runner);
    targets[pipeline.name] = {
      executor: 'nx:noop',
      dependsOn: pipeline.stages.map((s) => stageTarget(pipeline.name, s.name)),
      cache: false,
      metadata: { description: pipeline.description },
    };
  }
  return {
    $schema: '../../node_modules/nx/schemas/project-schema.json',
    name: 'pipeline',
    sourceRoot: 'packages/pipeline/src',
    projectType: 'library',
    '//': 'Generated from the stage DAG by `npm run gen:nx`; tests/nx-sync.test.ts fails when it is stale. Do not edit by hand.',
    namedInputs: { [RUNNER_INPUT]: runner.files.map(workspaceFile) },
    targets,
  };
}
