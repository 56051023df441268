import { z } from 'zod';
import type { Pipeline } from '../core/stage.js';
import { ConfigError, type RawConfig } from './raw-config.mjs';

export interface PipelineConfig {
  file: string;
  seed: number;
  stages: Record<string, unknown>;
}

const topLevelSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  stages: z.record(z.string(), z.unknown()).default({}),
});

function describeIssue(file: string, prefix: (string | number)[], issue: z.core.$ZodIssue): string {
  const path = [...prefix, ...issue.path].map(String).join('.');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  return `${file}: ${path || '(top level)'}: ${message}`;
}

/** Zod object schemas are made strict, so a misspelt field is an error rather than ignored. */
function strict(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodObject ? schema.strict() : schema;
}

/** Validates a raw config against the pipeline's stage schemas; throws one ConfigError naming the field. */
export function validatePipelineConfig(pipeline: Pipeline, file: string, raw: RawConfig): PipelineConfig {
  const top = topLevelSchema.safeParse(raw);
  if (!top.success) throw new ConfigError(describeIssue(file, [], top.error.issues[0]!));
  const known = new Set(pipeline.stages.map((s) => s.name));
  for (const name of Object.keys(top.data.stages)) {
    if (!known.has(name)) {
      throw new ConfigError(`${file}: stages.${name}: no such stage in ${pipeline.name} (stages: ${[...known].join(', ')})`);
    }
  }
  const stages: Record<string, unknown> = {};
  for (const stage of pipeline.stages) {
    const parsed = strict(stage.configSchema).safeParse(top.data.stages[stage.name] ?? {});
    if (!parsed.success) throw new ConfigError(describeIssue(file, ['stages', stage.name], parsed.error.issues[0]!));
    stages[stage.name] = parsed.data;
  }
  return { file, seed: top.data.seed, stages };
}
