import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { stageDir } from './store.js';

/** What a stage recorded with `record(...)`: run facts such as timings and the tfjs backend. */
export type RunFacts = Record<string, string | number | boolean>;

/** The part of a stage's manifest.json that readers use (the runner writes more). */
export const manifestSchema = z.object({
  pipeline: z.string(),
  stage: z.string(),
  records: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  startedAt: z.string(),
  durationMs: z.number(),
});
export type ManifestFacts = z.infer<typeof manifestSchema>;

/**
 * The manifest of a stage that has run, or undefined when there is none (a stage restored from a
 * cache that kept only outputs/). Manifests sit outside outputs/, so reading one never makes a
 * result depend on how long it took: these are facts about a run, not results.
 */
export async function readManifest(root: string, pipeline: string, stage: string): Promise<ManifestFacts | undefined> {
  let text: string;
  try {
    text = await readFile(join(stageDir(root, pipeline, stage), 'manifest.json'), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = manifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${pipeline}/${stage}/manifest.json: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}
