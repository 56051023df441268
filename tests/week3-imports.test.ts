import { describe, expect, test } from 'vitest';
import { analyseStageImports } from '../packages/pipeline/src/nx/targets.js';
import { week3 } from '../packages/pipeline/src/weeks/week3/pipeline.js';
import { repoRoot } from './support/workspace-copy.js';

// Training never depends on evaluation code: an edit in packages/eval must not retrain LeNet or
// ConfidNet, nor recompute the expensive predictions (Nx derives each stage's inputs from its imports).
const stage = (name: string) => week3.stages.find((s) => s.name === name)!;

describe('week3 stage imports', () => {
  test.each(['mnist', 'ood-data', 'train-lenet', 'predict', 'train-confidnet', 'odin-grid', 'odin'])(
    '%s does not reach @rdl/eval',
    async (name) => {
      const imports = await analyseStageImports(repoRoot, stage(name), week3);
      expect(imports.packages).not.toContain('eval');
    },
  );

  test('the evaluation stages do reach @rdl/eval (the check above can fail)', async () => {
    for (const name of ['odin-select', 'failure', 'ood', 'figures', 'report']) {
      expect((await analyseStageImports(repoRoot, stage(name), week3)).packages, name).toContain('eval');
    }
  });

  test('the training stages reach the tfjs packages', async () => {
    expect((await analyseStageImports(repoRoot, stage('train-lenet'), week3)).packages).toEqual(['core', 'data', 'models', 'runtime']);
    expect((await analyseStageImports(repoRoot, stage('train-confidnet'), week3)).packages).toEqual([
      'core',
      'data',
      'models',
      'runtime',
      'uncertainty',
    ]);
  });
});
