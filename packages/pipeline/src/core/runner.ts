import { rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { resolveRuntime, type ResolvedRuntime } from '@rdl/runtime/resolve-runtime';
import { ConfigError, overridesFromEnv, resolveRawConfig, type Override } from '../config/raw-config.mjs';
import { validatePipelineConfig, type PipelineConfig } from '../config/validate.js';
import { readManifest, type StageManifest } from './manifest.js';
import { createProgress } from './progress.js';
import type { AnyStage, Pipeline } from './stage.js';
import { scopeOfSeed, seedScope, type Study } from './study.js';
import { ARTIFACTS_DIR, createStaging, publishStaging, readOutputs, stageDir, sweepStaleStaging, writeOutputs } from './store.js';
import { packageVersions } from './versions.js';

export type { StageManifest } from './manifest.js';

export interface RunOptions {
  root: string;
  /** Profile name (`smoke`) or path of a config file; defaults to configs/<pipeline>.json. */
  configRef?: string;
  overrides?: Override[];
  log?: (message: string) => void;
  /**
   * Whether the stage's cache key holds the resolved tfjs runtime (`run-stage … --tfjs`, set by
   * the generated Nx target). false: starting a tfjs backend fails the stage; undefined: not checked.
   */
  tfjs?: boolean;
  /** The tfjs runtime the stage used, or undefined if it started none (tests replace it). */
  runtimeUsed?: () => Promise<ResolvedRuntime | undefined>;
  /** Run the stage as this seed's clone for a study (`run-stage … --seed N`); see runStage. */
  seed?: number;
}

export function loadPipelineConfig(pipeline: Pipeline, options: RunOptions): PipelineConfig {
  const { file, raw } = resolveRawConfig({
    root: options.root,
    pipeline: pipeline.name,
    configRef: options.configRef,
    overrides: options.overrides ?? [],
  });
  return validatePipelineConfig(pipeline, relative(options.root, file) || file, raw);
}

/**
 * The backend and thread count this process's tfjs work used, as @rdl/runtime reports them, or
 * undefined when no backend was started. The module name is a variable so the Nx key analysis
 * does not count @rdl/runtime as runner code: this only checks a run, it never computes a result.
 */
export async function runtimeUsed(): Promise<ResolvedRuntime | undefined> {
  const name = '@rdl/runtime';
  let runtime: typeof import('@rdl/runtime');
  try {
    runtime = (await import(name)) as typeof import('@rdl/runtime');
  } catch {
    return undefined;
  }
  const info = runtime.getBackendInfo();
  return info && { backend: info.name, threads: runtime.defaultThreads(info.name) };
}

/**
 * Fails a tfjs stage whose run does not match its cache key: the key holds `resolveRuntime()`
 * (bin/stage-key.mjs), so a result computed on another backend or thread count would be cached
 * under the wrong key and restored where it was never computed.
 */
export function checkRuntime(
  stage: string,
  used: ResolvedRuntime | undefined,
  keyed: boolean | undefined,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (used === undefined) return;
  if (keyed === false) {
    throw new Error(
      `stage ${stage} started the ${used.backend} tfjs backend, but its cache key does not hold the tfjs runtime (run \`npm run gen:nx\`)`,
    );
  }
  const expected = resolveRuntime(env);
  if (used.backend !== expected.backend || used.threads !== expected.threads) {
    throw new Error(
      `stage ${stage} ran on ${used.backend} with ${used.threads} thread(s), but its cache key says ${expected.backend} with ${expected.threads} ` +
        '(RDL_BACKEND/RDL_THREADS or the machine as resolved by packages/runtime/src/resolve-runtime.mjs); the result is not kept',
    );
  }
}

/** The stages `stage` reads from, directly or through its needs. */
function ancestors(stage: AnyStage, out = new Set<AnyStage>()): Set<AnyStage> {
  for (const need of Object.values(stage.needs)) {
    if (out.has(need)) continue;
    out.add(need);
    ancestors(need, out);
  }
  return out;
}

export function findStage(pipeline: Pipeline, name: string): AnyStage {
  const stage = pipeline.stages.find((s) => s.name === name);
  if (!stage)
    throw new ConfigError(`pipeline ${pipeline.name} has no stage '${name}' (stages: ${pipeline.stages.map((s) => s.name).join(', ')})`);
  return stage;
}

interface Execution {
  stage: AnyStage;
  pipeline: string;
  /** Artifact folder of the stage's result, relative to artifacts/ (the week, a seed's clone, or the study). */
  scope: string;
  config: PipelineConfig;
  seed: number;
  /** Reads every input (after the previous result is removed, before staging). */
  readInputs(): Promise<Record<string, Record<string, unknown>>>;
  /** The scope in which an upstream stage's manifest lives. */
  scopeOf(upstream: AnyStage): string;
  extraContext?: Record<string, unknown>;
}

/**
 * Runs one stage: removes the stage's previous result, computes into a private staging folder
 * and renames it into place only when every output and the manifest are written. A run killed at
 * any point therefore leaves either no folder or a complete one. The config is validated before.
 */
async function execute(run: Execution, options: RunOptions): Promise<StageManifest> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const { stage, config } = run;
  // From here on the previous result is gone, so a failed or killed run leaves no stale folder.
  const target = stageDir(options.root, run.scope, stage.name);
  await rm(target, { recursive: true, force: true });
  await sweepStaleStaging(options.root);
  const inputs = await run.readInputs();
  // Handlers go up before the staging folder exists, so no signal can land in between.
  let staging: string | undefined;
  const cleanup = (signal: NodeJS.Signals): void => {
    const exit = (): never => process.exit(signal === 'SIGINT' ? 130 : 143);
    if (staging === undefined) exit();
    else void rm(staging, { recursive: true, force: true }).finally(exit);
  };
  process.once('SIGTERM', cleanup);
  process.once('SIGINT', cleanup);
  staging = await createStaging(options.root, run.scope.replaceAll('/', '.'), stage.name);
  const started = Date.now();
  const records: Record<string, string | number | boolean> = {};
  try {
    const values = await stage.run({
      pipeline: run.pipeline,
      stage: stage.name,
      config: config.stages[stage.name],
      seed: run.seed,
      inputs,
      log: (message) => log(`[${stage.name}] ${message}`),
      progress: (label, total) => createProgress(`[${stage.name}] ${label}`, total),
      record: (key, value) => {
        records[key] = value;
      },
      manifest: async (upstream) => {
        if (!ancestors(stage).has(upstream))
          throw new Error(`stage ${stage.name} can read the manifests of its upstream stages only, not of '${upstream.name}'`);
        return readManifest(options.root, run.scopeOf(upstream), upstream.name);
      },
      ...run.extraContext,
    });
    const runtime = await (options.runtimeUsed ?? runtimeUsed)();
    checkRuntime(stage.name, runtime, options.tfjs);
    const outputs = await writeOutputs(join(staging, 'outputs'), stage.outputs, values);
    const manifest: StageManifest = {
      pipeline: run.pipeline,
      stage: stage.name,
      ...(run.scope !== run.pipeline && { scope: run.scope }),
      configFile: config.file,
      seed: run.seed,
      config: config.stages[stage.name],
      records,
      ...(runtime && { runtime }),
      versions: packageVersions(),
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      outputs,
    };
    await writeFile(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    await publishStaging(staging, target);
    return manifest;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    staging = undefined;
    throw error;
  } finally {
    process.removeListener('SIGTERM', cleanup);
    process.removeListener('SIGINT', cleanup);
  }
}

/**
 * Runs one stage of a week: validates the whole config first (bad input writes nothing), then
 * computes it (see execute). With `options.seed` the stage runs as that seed's clone for the
 * study: the seed replaces the config's, and the stage reads and writes the seed's folder.
 */
export async function runStage(pipeline: Pipeline, stageName: string, options: RunOptions): Promise<StageManifest> {
  const stage = findStage(pipeline, stageName);
  const config = loadPipelineConfig(pipeline, { ...options, overrides: options.overrides ?? overridesFromEnv() });
  const scope = options.seed === undefined ? pipeline.name : seedScope(pipeline.name, options.seed);
  return execute(
    {
      stage,
      pipeline: pipeline.name,
      scope,
      config,
      seed: options.seed ?? config.seed,
      readInputs: async () => {
        const inputs: Record<string, Record<string, unknown>> = {};
        for (const [key, upstream] of Object.entries(stage.needs)) {
          inputs[key] = await readOutputs(options.root, scope, upstream.name, upstream.outputs);
        }
        return inputs;
      },
      scopeOf: () => scope,
    },
    options,
  );
}

export interface StudyRunOptions extends RunOptions {
  /** The seeds the Nx targets were generated for (`--seeds`), in order. */
  seeds: number[];
  /** The week's seed when the targets were generated (`--week-seed`): that seed's results are the week's own. */
  weekSeed: number;
}

const list = (seeds: readonly number[]): string => `[${seeds.join(', ')}]`;

/**
 * Runs one stage of a study. The config's `study.seeds` and seed must be those the Nx targets
 * were generated for (else Nx has not run the seeds' stages): a mismatch is one clear error.
 * Each seed's inputs are checked to be computed with that seed, from their manifests.
 */
export async function runStudyStage(study: Study, stageName: string, options: StudyRunOptions): Promise<StageManifest> {
  const { pipeline } = study;
  const stage = study.stages.find((s) => s.name === stageName);
  if (!stage)
    throw new ConfigError(`study ${study.name} has no stage '${stageName}' (stages: ${study.stages.map((s) => s.name).join(', ')})`);
  const config = loadPipelineConfig(pipeline, { ...options, overrides: options.overrides ?? overridesFromEnv() });
  const seeds = config.study?.seeds;
  if (!seeds) throw new ConfigError(`${config.file}: study: missing; ${study.name} needs e.g. "study": { "seeds": [0, 1, 2, 3, 4] }`);
  if (list(seeds) !== list(options.seeds)) {
    throw new ConfigError(
      `${config.file}: study.seeds is ${list(seeds)} but the Nx targets of ${study.name} were generated for ${list(options.seeds)}: run \`npm run gen:nx\` (the targets follow configs/${pipeline.name}.json; a profile must not change study.seeds)`,
    );
  }
  if (config.seed !== options.weekSeed) {
    throw new ConfigError(
      `${config.file}: seed is ${config.seed} but the Nx targets of ${study.name} were generated with the week's seed ${options.weekSeed}: run \`npm run gen:nx\`, or leave the seed to the study`,
    );
  }
  const studyStages = new Set(study.stages);
  const scopeOf = (upstream: AnyStage): string => (studyStages.has(upstream) ? study.name : pipeline.name);
  const seedRuns: { seed: number; inputs: Record<string, Record<string, unknown>> }[] = [];
  return execute(
    {
      stage,
      pipeline: pipeline.name,
      scope: study.name,
      config,
      seed: config.seed,
      readInputs: async () => {
        const inputs: Record<string, Record<string, unknown>> = {};
        for (const [key, upstream] of Object.entries(stage.needs)) {
          inputs[key] = await readOutputs(options.root, scopeOf(upstream), upstream.name, upstream.outputs);
        }
        for (const seed of seeds) {
          const scope = scopeOfSeed(pipeline.name, seed, config.seed);
          const perSeed: Record<string, Record<string, unknown>> = {};
          for (const [key, upstream] of Object.entries(stage.perSeed ?? {})) {
            const made = await readManifest(options.root, scope, upstream.name);
            if (made.seed !== seed) {
              throw new Error(
                `${ARTIFACTS_DIR}/${scope}/${upstream.name} was computed with seed ${made.seed}, not the study's seed ${seed}: rerun it (npx nx run pipeline:${study.name})`,
              );
            }
            perSeed[key] = await readOutputs(options.root, scope, upstream.name, upstream.outputs);
          }
          seedRuns.push({ seed, inputs: perSeed });
        }
        return inputs;
      },
      scopeOf,
      extraContext: { seeds: seedRuns },
    },
    options,
  );
}
