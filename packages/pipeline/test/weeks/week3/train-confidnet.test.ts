import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadPipelineConfig } from '../../../src/core/runner.js';
import { week3 } from '../../../src/weeks/week3/pipeline.js';
import { tempRoot } from '../../fixtures.js';

function rootWith(trainConfidNet: unknown): string {
  const root = tempRoot();
  writeFileSync(join(root, 'configs', 'week3.json'), JSON.stringify({ seed: 0, stages: { 'train-confidnet': trainConfidNet } }));
  return root;
}

describe('train-confidnet config: fineTune (ConfidNet phase 2)', () => {
  test('is off by default, with the documented defaults', () => {
    const config = loadPipelineConfig(week3, { root: rootWith({}) });
    expect(config.stages['train-confidnet']).toMatchObject({ fineTune: { epochs: 0, learningRate: 1e-6, batchSize: 128, patience: 2 } });
    const on = loadPipelineConfig(week3, { root: rootWith({ fineTune: { epochs: 3 } }) });
    expect(on.stages['train-confidnet']).toMatchObject({ fineTune: { epochs: 3, learningRate: 1e-6, batchSize: 128, patience: 2 } });
  });

  test.each([
    [{ fineTune: { epochs: -1 } }, /stages.train-confidnet.fineTune.epochs/],
    [{ fineTune: { epochs: 1.5 } }, /stages.train-confidnet.fineTune.epochs/],
    [{ fineTune: { epochs: 2, learningRate: 0 } }, /stages.train-confidnet.fineTune.learningRate/],
    [{ fineTune: { epochs: 2, batchSize: 0 } }, /stages.train-confidnet.fineTune.batchSize/],
    [{ fineTune: { epochs: 2, patience: 0 } }, /stages.train-confidnet.fineTune.patience/],
    [{ fineTune: { epochs: 2, lr: 1e-5 } }, /stages.train-confidnet.fineTune: unknown key 'lr'/],
  ])('%j is rejected with one message naming the field', (stage, message) => {
    expect(() => loadPipelineConfig(week3, { root: rootWith(stage) })).toThrow(message);
  });
});
