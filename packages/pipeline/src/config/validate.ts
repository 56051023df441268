import { z } from 'zod';
import type { Pipeline } from '../core/stage.js';
import { ConfigError, type RawConfig } from './raw-config.mjs';

export interface PipelineConfig {
  file: string;
  seed: number;
  stages: Record<string, unknown>;
  /** The multi-seed study's settings (configs/<week>.json `study`), when the config has them. */
  study?: StudyConfig;
}

const seedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** `study: { seeds: [0, 1, 2, 3, 4] }`: the seeds of `<week>-study`, each run as its own Nx tasks. */
export const studyConfigSchema = z.strictObject({
  seeds: z
    .array(seedSchema)
    .min(1)
    .refine((seeds) => new Set(seeds).size === seeds.length, 'must not repeat a seed'),
});
export type StudyConfig = z.infer<typeof studyConfigSchema>;

const topLevelSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  seed: seedSchema.default(0),
  stages: z.record(z.string(), z.unknown()).default({}),
  study: studyConfigSchema.optional(),
});

function describeIssue(file: string, prefix: (string | number)[], issue: z.core.$ZodIssue): string {
  const path = [...prefix, ...issue.path].map(String).join('.');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys')
    message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  return `${file}: ${path || '(top level)'}: ${message}`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Zod strips keys it does not know, at any depth; a misspelt field must be an error instead.
 * Any key of the input that did not survive parsing was unknown to the schema.
 */
function findUnknownKey(input: unknown, output: unknown, path: string[]): string[] | undefined {
  if (isPlainObject(input) && isPlainObject(output)) {
    for (const key of Object.keys(input)) {
      if (!(key in output)) return [...path, key];
      const deeper = findUnknownKey(input[key], output[key], [...path, key]);
      if (deeper) return deeper;
    }
  } else if (Array.isArray(input) && Array.isArray(output)) {
    for (let i = 0; i < Math.min(input.length, output.length); i++) {
      const deeper = findUnknownKey(input[i], output[i], [...path, String(i)]);
      if (deeper) return deeper;
    }
  }
  return undefined;
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
    const input = top.data.stages[stage.name] ?? {};
    const parsed = stage.configSchema.safeParse(input);
    if (!parsed.success) throw new ConfigError(describeIssue(file, ['stages', stage.name], parsed.error.issues[0]!));
    const unknown = findUnknownKey(input, parsed.data, ['stages', stage.name]);
    if (unknown) {
      throw new ConfigError(`${file}: ${unknown.slice(0, -1).join('.')}: unknown key '${unknown.at(-1)}'`);
    }
    stages[stage.name] = parsed.data;
  }
  return { file, seed: top.data.seed, stages, ...(top.data.study && { study: top.data.study }) };
}
