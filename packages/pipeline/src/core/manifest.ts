import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { stageDir } from './store.js';

const recordValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * A stage's manifest.json, beside (never inside) its `outputs/`: how the result was computed —
 * config, versions, the tfjs runtime, timings and other run facts. Nx caches it with the outputs
 * but no cache key reads it, so facts that vary from run to run live here.
 */
export const stageManifestSchema = z.object({
  pipeline: z.string(),
  stage: z.string(),
  /** The artifact folder under artifacts/ when it is not the pipeline's own (a study seed's clone, the study). */
  scope: z.string().optional(),
  configFile: z.string(),
  seed: z.number(),
  config: z.unknown(),
  /** Facts the stage recorded with `record(key, value)`, e.g. timings. */
  records: z.record(z.string(), recordValue),
  /** The TensorFlow.js backend and thread count the run used, when it started one. */
  runtime: z.object({ backend: z.string(), threads: z.number() }).optional(),
  versions: z.record(z.string(), z.string()),
  startedAt: z.string(),
  durationMs: z.number(),
  outputs: z.array(z.object({ file: z.string(), bytes: z.number(), sha256: z.string() })),
});
export type StageManifest = z.infer<typeof stageManifestSchema>;

/** The Nx target that writes `stage` in an artifact scope: the week's, a study seed's clone, or the study's. */
function targetOf(scope: string, stage: string): string {
  const seed = /^(.+)-study\/seed-(\d+)$/.exec(scope);
  return seed ? `${seed[1]}-seed-${seed[2]}-${stage}` : `${scope}-${stage}`;
}

/** Reads and validates the manifest of `stage` in `pipeline`. */
export async function readManifest(root: string, pipeline: string, stage: string): Promise<StageManifest> {
  const file = join(stageDir(root, pipeline, stage), 'manifest.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(
      `${relative(root, file)} is missing: run the '${stage}' stage first (npx nx run pipeline:${targetOf(pipeline, stage)})`,
    );
  }
  const parsed = stageManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${relative(root, file)}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}
