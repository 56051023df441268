import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { AnyStage, Pipeline } from '../core/stage.js';

/** The Nx target of a stage: `<pipeline>-<stage>`, e.g. `week1-data`. */
export function stageTarget(pipeline: string, stage: string): string {
  return `${pipeline}-${stage}`;
}

/** Code every stage run goes through, whatever the stage imports. */
const RUNNER_INPUTS = [
  '{workspaceRoot}/packages/pipeline/src/core/**/*',
  '{workspaceRoot}/packages/pipeline/src/config/**/*',
  '{workspaceRoot}/packages/pipeline/src/bin/run-stage.ts',
  '{workspaceRoot}/packages/pipeline/bin/config-slice.mjs',
];

/** Workspace packages whose results depend on the tfjs backend. */
const BACKEND_PACKAGES = new Set(['models', 'uncertainty']);

export interface StageImports {
  /** Workspace packages (folder names under packages/) the stage module reaches. */
  packages: string[];
  /** Files of packages/pipeline the stage module reaches, relative to the workspace root. */
  pipelineFiles: string[];
}

/** Finds what a stage's module imports, transitively, by letting esbuild resolve it (no output written). */
export async function analyseStageImports(root: string, stage: AnyStage, pipeline?: Pipeline): Promise<StageImports> {
  // Other stages' modules are boundaries: a stage imports them for their stage objects (to name
  // its needs), and what they compute reaches it through their outputs, which Nx hashes. Their
  // own files still count as inputs; their imports do not.
  const own = fileURLToPath(stage.module);
  const boundaries = new Set((pipeline?.stages ?? []).map((s) => fileURLToPath(s.module)).filter((f) => f !== own));
  const boundaryFiles = new Set<string>();
  const stopAtStages: Plugin = {
    name: 'stop-at-stages',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        const target = resolvePath(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        if (!boundaries.has(target)) return undefined;
        boundaryFiles.add(target);
        return { path: target, external: true };
      });
    },
  };
  const externalNpm: Plugin = {
    name: 'external-npm',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@rdl/') ? undefined : { path: args.path, external: true }));
    },
  };
  const result = await build({
    entryPoints: [fileURLToPath(stage.module)],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    conditions: ['rdl-source'],
    absWorkingDir: root,
    logLevel: 'silent',
    plugins: [stopAtStages, externalNpm],
  });
  const packages = new Set<string>();
  const pipelineFiles = new Set<string>();
  const files = [...Object.keys(result.metafile.inputs).map((input) => join(root, input)), ...boundaryFiles];
  for (const absolute of files) {
    const file = relative(root, absolute).split('\\').join('/');
    const match = /^packages\/([^/]+)\//.exec(file);
    if (!match) continue;
    if (match[1] === 'pipeline') pipelineFiles.add(file);
    else packages.add(match[1]!);
  }
  return { packages: [...packages].sort(), pipelineFiles: [...pipelineFiles].sort() };
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

export async function stageTargetConfig(root: string, pipeline: Pipeline, stage: AnyStage): Promise<NxTarget> {
  const imports = await analyseStageImports(root, stage, pipeline);
  const inputs: unknown[] = [
    ...RUNNER_INPUTS,
    ...imports.pipelineFiles.filter((f) => !/src\/(core|config)\//.test(f)).map((f) => `{workspaceRoot}/${f}`),
    ...imports.packages.map((p) => `{workspaceRoot}/packages/${p}/src/**/*`),
    { runtime: `node packages/pipeline/bin/config-slice.mjs ${pipeline.name} ${stage.name}` },
  ];
  // The backend and thread count decide float32 rounding, so they are part of a tfjs stage's key.
  if (imports.packages.some((p) => BACKEND_PACKAGES.has(p))) inputs.push({ env: 'RDL_BACKEND' }, { env: 'RDL_THREADS' });
  const upstream = Object.values(stage.needs).map((s) => stageTarget(pipeline.name, s.name));
  if (upstream.length > 0) inputs.push({ dependentTasksOutputFiles: '**/outputs/**', transitive: false });
  return {
    executor: 'nx:run-commands',
    options: { command: `tsx --conditions=rdl-source packages/pipeline/src/bin/run-stage.ts ${pipeline.name} ${stage.name}`, cwd: '{workspaceRoot}' },
    dependsOn: upstream,
    inputs,
    outputs: [`{workspaceRoot}/artifacts/${pipeline.name}/${stage.name}`],
    cache: true,
    metadata: { description: stage.description },
  };
}

/** The whole project.json of the `pipeline` project, derived from the TypeScript DAG. */
export async function pipelineProject(root: string, pipelines: readonly Pipeline[]): Promise<Record<string, unknown>> {
  const targets: Record<string, NxTarget> = {};
  for (const pipeline of pipelines) {
    for (const stage of pipeline.stages) targets[stageTarget(pipeline.name, stage.name)] = await stageTargetConfig(root, pipeline, stage);
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
    targets,
  };
}

export const workspaceRootFromHere = (): string => join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
