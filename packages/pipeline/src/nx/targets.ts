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

/** The Nx project of the week stages and of the `<week>` / `<week>-study` entry points. */
export const PIPELINE_PROJECT = 'pipeline';
/** Where the generated projects of study seeds and studies live (one folder per project). */
export const GENERATED_PROJECTS_DIR = 'packages/pipeline/nx-projects';

/**
 * The Nx project of a study seed's clones, e.g. `week3-seed-1`. Nx hashes a project's whole
 * configuration (every target's command and outputs) into each of its tasks, so each seed and
 * each study has a project of its own: adding a seed then adds a project and changes no other
 * project's configuration, hence no other stage's key.
 */
export const seedProject = (pipeline: string, seed: number): string => `${pipeline}-seed-${seed}`;

/** The project that runs a week stage for one seed of a study: the week's own for the week's seed. */
export const projectForSeed = (pipeline: string, seed: number, weekSeed: number): string =>
  seed === weekSeed ? PIPELINE_PROJECT : seedProject(pipeline, seed);

/** A task of some project. */
export interface TaskRef {
  project: string;
  target: string;
}

/** How `project`'s target names the task `ref`: by name in the same project, by `{ projects, target }` across projects. */
export const dependency = (project: string, ref: TaskRef): NxDependency =>
  ref.project === project ? ref.target : { projects: [ref.project], target: ref.target };

/** What every stage target runs: RUN_STAGE, bundled and started by STAGE_LAUNCHER; STAGE_KEY prints each stage's runtime key. */
export const RUN_STAGE = 'packages/pipeline/src/bin/run-stage.ts';
export const STAGE_LAUNCHER = 'packages/pipeline/bin/launch-stage.mjs';
export const STAGE_KEY = 'packages/pipeline/bin/stage-key.mjs';
/** The loader worker threads register to run their TypeScript modules: an npm package every stage is keyed on. */
const LOADER = 'tsx';
/** Files esbuild and tsx read to compile every module of a run (their compiler options). */
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
 * imports, the stage modules excluded), the launcher that bundles it (STAGE_LAUNCHER, with esbuild)
 * and the key script Nx runs (STAGE_KEY), plus the workers' loader.
 */
export async function analyseRunner(root: string, pipelines: readonly Pipeline[], studies = studiesOf(pipelines)): Promise<CodeGraph> {
  const entries = [RUN_STAGE, STAGE_LAUNCHER, STAGE_KEY].map((file) => join(root, file));
  const graph = await analyseCode(root, entries, { excluded: stageModules(pipelines, studies) });
  return {
    ...graph,
    files: [...new Set([...graph.files, ...LOADER_FILES])].sort(),
    externals: [...new Set([...graph.externals, LOADER])].sort(),
  };
}

/** The studies of the given weeks (every stage run can start a study stage, so the runner excludes their modules too). */
const studiesOf = (pipelines: readonly Pipeline[]): readonly Study[] => allStudies.filter((s) => pipelines.includes(s.pipeline));

/** A dependency of a target: a target of the same project, or `{ projects, target }` for another project's. */
export type NxDependency = string | { projects: string[]; target: string };

export interface NxTarget {
  executor: string;
  options?: Record<string, unknown>;
  dependsOn?: NxDependency[];
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
  let project = PIPELINE_PROJECT;
  let upstream: TaskRef[] = Object.values(stage.needs).map((s) => ({ project, target: stageTarget(pipeline.name, s.name) }));
  let folder = `${pipeline.name}/${stage.name}`;
  if (kind.kind === 'seed') {
    // A seed's clone: the same stage with the seed overridden, reading and writing the seed's folder.
    args += ` --seed ${kind.seed}`;
    keyArgs = args;
    project = seedProject(pipeline.name, kind.seed);
    upstream = Object.values(stage.needs).map((s) => ({ project, target: seedStageTarget(pipeline.name, kind.seed, s.name) }));
    folder = `${seedScope(pipeline.name, kind.seed)}/${stage.name}`;
  } else if (kind.kind === 'study') {
    const { study, seeds, weekSeed } = kind;
    const studyStages = new Set(study.stages);
    args = `${study.name} ${stage.name}${tfjs} --seeds ${seeds.join(',')} --week-seed ${weekSeed}`;
    // The key holds the config's seed and study section; the seeds' results come in as upstream outputs.
    keyArgs = `${pipeline.name} ${stage.name}${tfjs} --study`;
    project = study.name;
    upstream = [
      ...Object.values(stage.needs).map((s) =>
        studyStages.has(s)
          ? { project, target: stageTarget(study.name, s.name) }
          : { project: PIPELINE_PROJECT, target: stageTarget(pipeline.name, s.name) },
      ),
      ...seeds.flatMap((seed) =>
        Object.values(stage.perSeed ?? {}).map((s) => ({
          project: projectForSeed(pipeline.name, seed, weekSeed),
          target: stageTargetForSeed(pipeline.name, seed, weekSeed, s.name),
        })),
      ),
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
    options: { command: `node ${STAGE_LAUNCHER} ${args}`, cwd: '{workspaceRoot}' },
    dependsOn: upstream.map((ref) => dependency(project, ref)),
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

/** The configuration of one Nx project, as its project.json holds it. */
export interface NxProject {
  name: string;
  namedInputs: Record<string, string[]>;
  targets: Record<string, NxTarget>;
  [field: string]: unknown;
}

/** A generated project.json: its path relative to the workspace root, and its content. */
export interface GeneratedProject {
  file: string;
  project: NxProject;
}

const GENERATED_NOTE =
  'Generated from the stage DAG by `npm run gen:nx`; tests/nx-sync.test.ts fails when it is stale. Do not edit by hand.';

/** A project of GENERATED_PROJECTS_DIR: no sources, the stage targets and the runner's named input. */
function generatedProject(name: string, description: string, runner: CodeGraph, targets: Record<string, NxTarget>): GeneratedProject {
  const folder = `${GENERATED_PROJECTS_DIR}/${name}`;
  const up = folder
    .split('/')
    .map(() => '..')
    .join('/');
  return {
    file: `${folder}/project.json`,
    project: {
      $schema: `${up}/node_modules/nx/schemas/project-schema.json`,
      name,
      projectType: 'library',
      '//': `${GENERATED_NOTE} ${description}`,
      namedInputs: { [RUNNER_INPUT]: runner.files.map(workspaceFile) },
      targets,
    },
  };
}

/**
 * The projects of a study: one per seed other than the week's (its clones of the week's stages;
 * the week's seed is the week's own targets) and one named after the study (its stages, whose
 * commands hold the seed list).
 */
export async function studyProjects(root: string, study: Study, runner: CodeGraph): Promise<GeneratedProject[]> {
  const { pipeline } = study;
  const { seeds, weekSeed } = studySeeds(root, study);
  const clones = new Map<number, Record<string, NxTarget>>(seeds.filter((s) => s !== weekSeed).map((s) => [s, {}]));
  for (const stage of study.seedStages) {
    const analysed = await analyseStageImports(root, stage, pipeline);
    for (const [seed, targets] of clones) {
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
  const projects = [...clones].map(([seed, targets]) =>
    generatedProject(seedProject(pipeline.name, seed), `Seed ${seed} of ${study.name}.`, runner, targets),
  );
  const targets: Record<string, NxTarget> = {};
  for (const stage of study.stages) {
    targets[stageTarget(study.name, stage.name)] = await stageTargetConfig(root, pipeline, stage, runner, {
      kind: 'study',
      study,
      seeds,
      weekSeed,
    });
  }
  projects.push(generatedProject(study.name, `The stages of ${study.name} over seeds ${list(seeds)}.`, runner, targets));
  return projects;
}

/**
 * The no-op `<week>-study` target of the pipeline project: what `nx run pipeline:week3-study`
 * runs. Only its dependsOn names the seeds, and Nx does not hash dependsOn into the project's
 * configuration, so adding a seed leaves the week stages' keys alone.
 */
function studyEntry(study: Study): NxTarget {
  return {
    executor: 'nx:noop',
    dependsOn: study.stages.map((s) => dependency(PIPELINE_PROJECT, { project: study.name, target: stageTarget(study.name, s.name) })),
    cache: false,
    metadata: { description: `${study.description} Seeds: configs/${study.pipeline.name}.json study.seeds.` },
  };
}

const list = (seeds: readonly number[]): string => `[${seeds.join(', ')}]`;

/** The whole project.json of the `pipeline` project, derived from the TypeScript DAG. */
export async function pipelineProject(
  root: string,
  pipelines: readonly Pipeline[],
  studies = studiesOf(pipelines),
  runner?: CodeGraph,
): Promise<NxProject> {
  const graph = runner ?? (await analyseRunner(root, pipelines, studies));
  const targets: Record<string, NxTarget> = {};
  for (const pipeline of pipelines) {
    for (const stage of pipeline.stages)
      targets[stageTarget(pipeline.name, stage.name)] = await stageTargetConfig(root, pipeline, stage, graph);
    targets[pipeline.name] = {
      executor: 'nx:noop',
      dependsOn: pipeline.stages.map((s) => stageTarget(pipeline.name, s.name)),
      cache: false,
      metadata: { description: pipeline.description },
    };
  }
  for (const study of studies) targets[study.name] = studyEntry(study);
  return {
    $schema: '../../node_modules/nx/schemas/project-schema.json',
    name: PIPELINE_PROJECT,
    sourceRoot: 'packages/pipeline/src',
    projectType: 'library',
    '//': GENERATED_NOTE,
    namedInputs: { [RUNNER_INPUT]: graph.files.map(workspaceFile) },
    targets,
  };
}

/** Every project.json `npm run gen:nx` writes: the pipeline project's, then each study's projects. */
export async function generatedProjects(
  root: string,
  pipelines: readonly Pipeline[],
  studies = studiesOf(pipelines),
): Promise<GeneratedProject[]> {
  const runner = await analyseRunner(root, pipelines, studies);
  const projects: GeneratedProject[] = [
    { file: 'packages/pipeline/project.json', project: await pipelineProject(root, pipelines, studies, runner) },
  ];
  for (const study of studies) projects.push(...(await studyProjects(root, study, runner)));
  return projects;
}
