import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipelineConfig } from '../core/runner.js';
import type { AnyStage, Pipeline } from '../core/stage.js';
import { seedScope, type Study } from '../core/study.js';
import { allStudies } from '../studies.js';
import { analyseCode, type CodeGraph } from './code-graph.js';

export { workspaceRootFromHere } from '../core/root.js';

/** The Nx target of a stage: `<pipeline>-<stage>`, e.g. `week1-data`. */
export function stageTarget(pipeline: string, stage: string): string {
  return `${pipeline}-${stage}`;
}

/** A study seed's clone of a week stage: `<pipeline>-seed-<seed>-<stage>`, e.g. `week3-seed-1-train-lenet`. */
export function seedStageTarget(pipeline: string, seed: number, stage: string): string {
  return `${pipeline}-seed-${seed}-${stage}`;
}

/** The target of a week stage for one seed of a study: the week's own for the week's seed. */
export function stageTargetForSeed(pipeline: string, seed: number, weekSeed: number, stage: string): string {
  return seed === weekSeed ? stageTarget(pipeline, stage) : seedStageTarget(pipeline, seed, stage);
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

const stageModules = (pipelines: readonly Pipeline[], studies: readonly Study[] = []): Set<string> =>
  new Set([...pipelines, ...studies].flatMap((p) => p.stages.map((s) => fileURLToPath(s.module))));

/**
 * What a stage's module can run, transitively (see analyseCode): the files left after tree
 * shaking, the npm packages it loads, the modules it starts at run time. Other stages' modules
 * are boundaries: a stage imports them for their stage objects (to name its needs), and what they
 * compute reaches it through their outputs, which Nx hashes. Their own files still count as
 * inputs; their imports do not.
 */
export async function analyseStageImports(root: string, stage: AnyStage, pipeline?: Pipeline, study?: Study): Promise<StageImports> {
  const own = fileURLToPath(stage.module);
  const boundaries = new Set([...stageModules(pipeline ? [pipeline] : [], study ? [study] : [])].filter((f) => f !== own));
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
export async function analyseRunner(root: string, pipelines: readonly Pipeline[], studies = studiesOf(pipelines)): Promise<CodeGraph> {
  const graph = await analyseCode(root, [join(root, RUN_STAGE), join(root, STAGE_KEY)], { excluded: stageModules(pipelines, studies) });
  return {
    ...graph,
    files: [...new Set([...graph.files, ...LOADER_FILES])].sort(),
    externals: [...new Set([...graph.externals, LOADER])].sort(),
  };
}

/** The studies of the given weeks (every stage run can start a study stage, so the runner excludes their modules too). */
const studiesOf = (pipelines: readonly Pipeline[]): readonly Study[] => allStudies.filter((s) => pipelines.includes(s.pipeline));

export interface NxTarget {
  executor: string;
  options?: Record<string, unknown>;
  dependsOn?: string[];
  inputs?: unknown[];
  outputs?: string[];
  cache?: boolean;
  metadata?: { description: string };
}

/** Where a target's stage and key come from: a week stage, a seed's clone of it, or a study stage. */
export type TargetKind =
  { kind: 'week' } | { kind: 'seed'; seed: number } | { kind: 'study'; study: Study; seeds: readonly number[]; weekSeed: number };

export async function stageTargetConfig(
  root: string,
  pipeline: Pipeline,
  stage: AnyStage,
  runner: CodeGraph,
  kind: TargetKind = { kind: 'week' },
  analysed?: StageImports,
): Promise<NxTarget> {
  const imports = analysed ?? (await analyseStageImports(root, stage, pipeline, kind.kind === 'study' ? kind.study : undefined));
  const runnerFiles = new Set(runner.files);
  // The resolved backend and thread count decide float32 rounding, so a tfjs stage's key holds them.
  const tfjs = imports.tfjs ? ' --tfjs' : '';
  let args = `${pipeline.name} ${stage.name}${tfjs}`;
  let keyArgs = args;
  let upstream = Object.values(stage.needs).map((s) => stageTarget(pipeline.name, s.name));
  let folder = `${pipeline.name}/${stage.name}`;
  if (kind.kind === 'seed') {
    // A seed's clone: the same stage with the seed overridden, reading and writing the seed's folder.
    args += ` --seed ${kind.seed}`;
    keyArgs = args;
    upstream = Object.values(stage.needs).map((s) => seedStageTarget(pipeline.name, kind.seed, s.name));
    folder = `${seedScope(pipeline.name, kind.seed)}/${stage.name}`;
  } else if (kind.kind === 'study') {
    const { study, seeds, weekSeed } = kind;
    const studyStages = new Set(study.stages);
    args = `${study.name} ${stage.name}${tfjs} --seeds ${seeds.join(',')} --week-seed ${weekSeed}`;
    // The key holds the config's seed and study section; the seeds' results come in as upstream outputs.
    keyArgs = `${pipeline.name} ${stage.name}${tfjs} --study`;
    upstream = [
      ...Object.values(stage.needs).map((s) => (studyStages.has(s) ? stageTarget(study.name, s.name) : stageTarget(pipeline.name, s.name))),
      ...seeds.flatMap((seed) => Object.values(stage.perSeed ?? {}).map((s) => stageTargetForSeed(pipeline.name, seed, weekSeed, s.name))),
    ];
    folder = `${study.name}/${stage.name}`;
  }
  const inputs: unknown[] = [
    RUNNER_INPUT,
    ...imports.files.filter((f) => !runnerFiles.has(f)).map(workspaceFile),
    { externalDependencies: [...new Set([...runner.externals, ...imports.externals])].sort() },
    { runtime: `node --conditions=rdl-source ${STAGE_KEY} ${keyArgs}` },
  ];
  if (upstream.length > 0) inputs.push({ dependentTasksOutputFiles: '**/outputs/**', transitive: false });
  return {
    executor: 'nx:run-commands',
    options: { command: `${LOADER} --conditions=rdl-source ${RUN_STAGE} ${args}`, cwd: '{workspaceRoot}' },
    dependsOn: upstream,
    inputs,
    outputs: [`{workspaceRoot}/artifacts/${folder}`],
    cache: true,
    metadata: { description: kind.kind === 'seed' ? `seed ${kind.seed}: ${stage.description}` : stage.description },
  };
}

/** The seeds of a study as the week's default config (configs/<week>.json) sets them, and the week's seed. */
export function studySeeds(root: string, study: Study): { seeds: number[]; weekSeed: number } {
  const config = loadPipelineConfig(study.pipeline, { root, overrides: [] });
  if (!config.study) throw new Error(`${config.file}: study: missing; ${study.name} needs e.g. "study": { "seeds": [0, 1, 2, 3, 4] }`);
  return { seeds: config.study.seeds, weekSeed: config.seed };
}

/** The targets of a study: each seed's clones of the week's stages (not the week's seed: it has them), the study stages, and `<week>-study`. */
export async function studyTargets(root: string, study: Study, runner: CodeGraph): Promise<Record<string, NxTarget>> {
  const { pipeline } = study;
  const { seeds, weekSeed } = studySeeds(root, study);
  const targets: Record<string, NxTarget> = {};
  for (const stage of study.seedStages) {
    const analysed = await analyseStageImports(root, stage, pipeline);
    for (const seed of seeds) {
      if (seed === weekSeed) continue;
      targets[seedStageTarget(pipeline.name, seed, stage.name)] = await stageTargetConfig(
        root,
        pipeline,
        stage,
        runner,
        { kind: 'seed', seed },
        analysed,
      );
    }
  }
  for (const stage of study.stages) {
    targets[stageTarget(study.name, stage.name)] = await stageTargetConfig(root, pipeline, stage, runner, {
      kind: 'study',
      study,
      seeds,
      weekSeed,
    });
  }
  targets[study.name] = {
    executor: 'nx:noop',
    dependsOn: study.stages.map((s) => stageTarget(study.name, s.name)),
    cache: false,
    metadata: { description: `${study.description} Seeds ${list(seeds)} (configs/${pipeline.name}.json study.seeds).` },
  };
  return targets;
}

const list = (seeds: readonly number[]): string => `[${seeds.join(', ')}]`;

/** The whole project.json of the `pipeline` project, derived from the TypeScript DAG. */
export async function pipelineProject(
  root: string,
  pipelines: readonly Pipeline[],
  studies = studiesOf(pipelines),
): Promise<Record<string, unknown>> {
  const runner = await analyseRunner(root, pipelines, studies);
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
  for (const study of studies) Object.assign(targets, await studyTargets(root, study, runner));
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
