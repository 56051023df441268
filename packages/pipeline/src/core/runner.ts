import { rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ConfigError, overridesFromEnv, resolveRawConfig, type Override } from '../config/raw-config.mjs';
import { validatePipelineConfig, type PipelineConfig } from '../config/validate.js';
import { readManifest } from './manifest.js';
import { createProgress } from './progress.js';
import type { AnyStage, Pipeline } from './stage.js';
import { createStaging, publishStaging, readOutputs, stageDir, sweepStaleStaging, writeOutputs } from './store.js';
import { packageVersions } from './versions.js';

export interface RunOptions {
  root: string;
  /** Profile name (`smoke`) or path of a config file; defaults to configs/<pipeline>.json. */
  configRef?: string;
  overrides?: Override[];
  log?: (message: string) => void;
}

export interface StageManifest {
  pipeline: string;
  stage: string;
  configFile: string;
  seed: number;
  config: unknown;
  records: Record<string, string | number | boolean>;
  versions: Record<string, string>;
  startedAt: string;
  durationMs: number;
  outputs: { file: string; bytes: number; sha256: string }[];
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

export function findStage(pipeline: Pipeline, name: string): AnyStage {
  const stage = pipeline.stages.find((s) => s.name === name);
  if (!stage) throw new ConfigError(`pipeline ${pipeline.name} has no stage '${name}' (stages: ${pipeline.stages.map((s) => s.name).join(', ')})`);
  return stage;
}

/**
 * Runs one stage: validates the whole config first (bad input writes nothing), removes the
 * stage's previous result, computes into a private staging folder and renames it into place
 * only when every output and the manifest are written. A run killed at any point therefore
 * leaves either no folder or a complete one.
 */
export async function runStage(pipeline: Pipeline, stageName: string, options: RunOptions): Promise<StageManifest> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const stage = findStage(pipeline, stageName);
  const config = loadPipelineConfig(pipeline, { ...options, overrides: options.overrides ?? overridesFromEnv() });
  // From here on the previous result is gone, so a failed or killed run leaves no stale folder.
  const target = stageDir(options.root, pipeline.name, stage.name);
  await rm(target, { recursive: true, force: true });
  await sweepStaleStaging(options.root);
  const inputs: Record<string, Record<string, unknown>> = {};
  for (const [key, upstream] of Object.entries(stage.needs)) {
    inputs[key] = await readOutputs(options.root, pipeline.name, upstream.name, upstream.outputs);
  }
  // Handlers go up before the staging folder exists, so no signal can land in between.
  let staging: string | undefined;
  const cleanup = (signal: NodeJS.Signals): void => {
    const exit = (): never => process.exit(signal === 'SIGINT' ? 130 : 143);
    if (staging === undefined) exit();
    else void rm(staging, { recursive: true, force: true }).finally(exit);
  };
  process.once('SIGTERM', cleanup);
  process.once('SIGINT', cleanup);
  staging = await createStaging(options.root, pipeline.name, stage.name);
  const started = Date.now();
  const records: Record<string, string | number | boolean> = {};
  try {
    const values = await stage.run({
      pipeline: pipeline.name,
      stage: stage.name,
      config: config.stages[stage.name],
      seed: config.seed,
      inputs,
      log: (message) => log(`[${stage.name}] ${message}`),
      progress: (label, total) => createProgress(`[${stage.name}] ${label}`, total),
      record: (key, value) => {
        records[key] = value;
      },
      manifest: (name) => readManifest(options.root, pipeline.name, name),
    });
    const outputs = await writeOutputs(join(staging, 'outputs'), stage.outputs, values);
    const manifest: StageManifest = {
      pipeline: pipeline.name,
      stage: stage.name,
      configFile: config.file,
      seed: config.seed,
      config: config.stages[stage.name],
      records,
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
