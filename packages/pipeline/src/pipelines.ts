import type { Pipeline } from './core/stage.js';
import { week1 } from './weeks/week1/pipeline.js';
import { week2 } from './weeks/week2/pipeline.js';
import { week3 } from './weeks/week3/pipeline.js';

/** Every pipeline, in the order the course runs them. The one source of truth for Nx targets. */
export const allPipelines: readonly Pipeline[] = [week1, week2, week3];

export function findPipeline(name: string): Pipeline {
  const pipeline = allPipelines.find((p) => p.name === name);
  if (!pipeline) throw new Error(`no pipeline named '${name}' (pipelines: ${allPipelines.map((p) => p.name).join(', ')})`);
  return pipeline;
}
