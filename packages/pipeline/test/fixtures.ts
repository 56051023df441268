import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { artifact } from '../src/core/artifacts.js';
import { definePipeline, defineStage } from '../src/core/stage.js';

export const source = defineStage({
  name: 'source',
  description: 'numbers',
  module: import.meta.url,
  config: z.object({ count: z.number().int().min(1).max(100).default(3) }),
  needs: {},
  outputs: { numbers: artifact.json(z.array(z.number())) },
  async run({ config, seed }) {
    return { numbers: Array.from({ length: config.count }, (_, i) => i + seed) };
  },
});

export const total = defineStage({
  name: 'total',
  description: 'sum of the numbers',
  module: import.meta.url,
  config: z.object({ scale: z.number().positive().default(1) }),
  needs: { source },
  outputs: { results: artifact.json(z.object({ total: z.number() })), note: artifact.text('md') },
  async run({ config, inputs }) {
    // `inputs.source.numbers` is typed number[] by the upstream stage's outputs.
    const sum = inputs.source.numbers.reduce((a, b) => a + b, 0) * config.scale;
    return { results: { total: sum }, note: `# total\n${sum}\n` };
  },
});

export const toy = definePipeline({ name: 'toy', description: 'fixture', stages: [total] });

/** A throwaway workspace root holding configs/toy.json. */
export function tempRoot(config: unknown = { seed: 1, stages: {} }): string {
  const root = mkdtempSync(join(tmpdir(), 'rdl-pipeline-'));
  mkdirSync(join(root, 'configs'));
  writeFileSync(join(root, 'configs', 'toy.json'), JSON.stringify(config));
  return root;
}
