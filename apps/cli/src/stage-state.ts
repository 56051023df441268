import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPipelineConfig, stageDir, type Pipeline, type StageManifest } from '@rdl/pipeline';

export type StageState = 'missing' | 'fresh' | 'stale';

export interface StageStatus {
  pipeline: string;
  stage: string;
  target: string;
  needs: string[];
  state: StageState;
  description: string;
  durationMs?: number;
}

export function readManifest(root: string, pipeline: string, stage: string): StageManifest | undefined {
  const file = join(stageDir(root, pipeline, stage), 'manifest.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as StageManifest;
}

/**
 * What is on disk against the current config: `fresh` when the stage's artifacts were made with
 * today's config section and seed. Source changes are Nx's to detect (`rdl run` asks it).
 */
export function pipelineStatus(root: string, pipeline: Pipeline, configRef?: string): StageStatus[] {
  const config = loadPipelineConfig(pipeline, { root, configRef });
  return pipeline.stages.map((stage) => {
    const manifest = readManifest(root, pipeline.name, stage.name);
    let state: StageState = 'missing';
    if (manifest) {
      const same = manifest.seed === config.seed && JSON.stringify(manifest.config) === JSON.stringify(config.stages[stage.name]);
      state = same ? 'fresh' : 'stale';
    }
    return {
      pipeline: pipeline.name,
      stage: stage.name,
      target: `${pipeline.name}-${stage.name}`,
      needs: Object.values(stage.needs).map((s) => s.name),
      state,
      description: stage.description,
      durationMs: manifest?.durationMs,
    };
  });
}
