import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadPipelineConfig } from '../../src/core/runner.js';
import { parseOverrides, stageSlice, resolveRawConfig } from '../../src/config/raw-config.mjs';
import { tempRoot, toy } from '../fixtures.js';

describe('pipeline config', () => {
  test('defaults fill every stage and the seed', () => {
    const root = tempRoot({ stages: {} });
    const config = loadPipelineConfig(toy, { root });
    expect(config.seed).toBe(0);
    expect(config.stages).toEqual({ source: { count: 3 }, total: { scale: 1 } });
  });

  test.each([
    [{ stages: { source: { count: 'three' } } }, /configs\/toy.json: stages.source.count: .*expected number/],
    [{ stages: { source: { count: 3, cuont: 4 } } }, /stages.source: unknown key 'cuont'/],
    [{ stages: { source: { count: 1000 } } }, /stages.source.count: .*(<=|100)/],
    [{ stages: { sauce: {} } }, /stages.sauce: no such stage in toy/],
    [{ seed: -1 }, /configs\/toy.json: seed: /],
    [{ sede: 1 }, /unknown key 'sede'/],
  ])('%j is rejected with one message naming the field', (config, message) => {
    const root = tempRoot(config);
    expect(() => loadPipelineConfig(toy, { root })).toThrow(message);
  });

  test('a profile extends the base file and overrides win over both', () => {
    const root = tempRoot({ seed: 5, stages: { source: { count: 10 }, total: { scale: 2 } } });
    writeFileSync(join(root, 'configs', 'toy.smoke.json'), JSON.stringify({ extends: './toy.json', stages: { source: { count: 2 } } }));
    const config = loadPipelineConfig(toy, { root, configRef: 'smoke', overrides: parseOverrides(['total.scale=3', 'seed=9']) });
    expect(config).toMatchObject({ seed: 9, stages: { source: { count: 2 }, total: { scale: 3 } } });
  });

  test('a missing or malformed file names the file', () => {
    const root = tempRoot();
    expect(() => loadPipelineConfig(toy, { root, configRef: 'nope' })).toThrow(/config file not found: .*toy.nope.json/);
    writeFileSync(join(root, 'configs', 'toy.bad.json'), '{ "seed": ');
    expect(() => loadPipelineConfig(toy, { root, configRef: 'bad' })).toThrow(/toy.bad.json: not valid JSON/);
  });

  test('malformed --set is a clear error', () => {
    expect(() => parseOverrides(['alpha'])).toThrow(/expected key=value/);
  });

  test("a stage's slice holds only its own section and the seed", () => {
    const root = tempRoot({ seed: 2, stages: { source: { count: 4 }, total: { scale: 7 } } });
    const { raw } = resolveRawConfig({ root, pipeline: 'toy' });
    expect(stageSlice(raw, 'source')).toEqual({ seed: 2, config: { count: 4 } });
    expect(stageSlice(raw, 'total')).toEqual({ seed: 2, config: { scale: 7 } });
  });
});
