import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backendFromEnv, defaultThreads, getBackendInfo, initBackend, threadsFromEnv } from '@rdl/runtime';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { backendFromEnv as keyBackend, resolveRuntime, threadsFromEnv as keyThreads } from '@rdl/runtime/resolve-runtime';
import { artifact } from '../../src/core/artifacts.js';
import { checkRuntime, runtimeUsed, runStage } from '../../src/core/runner.js';
import { definePipeline, defineStage } from '../../src/core/stage.js';
import { stageDir } from '../../src/core/store.js';
import { source, tempRoot, total } from '../fixtures.js';

const attempt = <T>(f: () => T): { value: T } | { error: string } => {
  try {
    return { value: f() };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('resolveRuntime follows @rdl/runtime exactly', () => {
  test.each(['', '  ', 'wasm', ' WASM ', 'cpu', 'Tensorflow', 'gpu', 'webgl'])('RDL_BACKEND=%j', (value) => {
    expect(attempt(() => keyBackend(value))).toEqual(attempt(() => backendFromEnv(value)));
  });

  test.each(['', ' ', '1', '2', ' 3 ', '64', '65', '0', '-1', '1.5', '2.0', '0x10', '1e1', 'abc', 'Infinity', 'NaN'])(
    'RDL_THREADS=%j',
    (value) => {
      expect(attempt(() => keyThreads(value))).toEqual(attempt(() => threadsFromEnv(value)));
      vi.stubEnv('RDL_THREADS', value);
      expect(attempt(() => resolveRuntime({ RDL_BACKEND: 'wasm', RDL_THREADS: value }).threads)).toEqual(
        attempt(() => defaultThreads('wasm')),
      );
      expect(attempt(() => resolveRuntime({ RDL_BACKEND: 'tensorflow', RDL_THREADS: value }).threads)).toEqual(
        attempt(() => defaultThreads('tensorflow')),
      );
    },
  );

  test('with nothing set, the backend initBackend() starts and the threads LeNet work gets are the resolved ones', async () => {
    vi.stubEnv('RDL_BACKEND', '');
    vi.stubEnv('RDL_THREADS', '');
    const info = await initBackend({ quiet: true });
    expect(resolveRuntime({})).toEqual({ backend: info.name, threads: defaultThreads(info.name) });
    expect(await runtimeUsed()).toEqual(resolveRuntime({}));
    expect(getBackendInfo()).toBe(info);
  });
});

describe('the runner keeps a tfjs result only under the key of the runtime it used', () => {
  const quiet = { log: () => undefined };
  const wasm2 = { RDL_BACKEND: 'wasm', RDL_THREADS: '2' };

  test('checkRuntime: no backend started passes; a match passes; another backend or thread count fails with one message', () => {
    expect(() => checkRuntime('s', undefined, true, wasm2)).not.toThrow();
    expect(() => checkRuntime('s', { backend: 'wasm', threads: 2 }, true, wasm2)).not.toThrow();
    expect(() => checkRuntime('s', { backend: 'wasm', threads: 1 }, true, wasm2)).toThrow(
      /^stage s ran on wasm with 1 thread\(s\), but its cache key says wasm with 2 .*the result is not kept$/,
    );
    expect(() => checkRuntime('s', { backend: 'cpu', threads: 2 }, undefined, wasm2)).toThrow(/ran on cpu .* key says wasm/);
    expect(() => checkRuntime('s', { backend: 'wasm', threads: 2 }, false, wasm2)).toThrow(
      /started the wasm tfjs backend, but its cache key does not hold the tfjs runtime/,
    );
  });

  test('a mismatch fails the stage and leaves nothing behind; a match is recorded in the manifest', async () => {
    vi.stubEnv('RDL_BACKEND', 'wasm');
    vi.stubEnv('RDL_THREADS', '2');
    const root = tempRoot();
    await expect(
      runStage(toyPipeline, 'source', { root, ...quiet, tfjs: true, runtimeUsed: async () => ({ backend: 'cpu', threads: 1 }) }),
    ).rejects.toThrow(/stage source ran on cpu with 1 thread\(s\), but its cache key says wasm with 2/);
    expect(existsSync(stageDir(root, 'toy', 'source'))).toBe(false);
    const manifest = await runStage(toyPipeline, 'source', {
      root,
      ...quiet,
      tfjs: true,
      runtimeUsed: async () => ({ backend: 'wasm', threads: 2 }),
    });
    expect(manifest.runtime).toEqual({ backend: 'wasm', threads: 2 });
    const plain = await runStage(toyPipeline, 'source', { root, ...quiet, tfjs: false, runtimeUsed: async () => undefined });
    expect(plain.runtime).toBeUndefined();
  });
});

const reader = defineStage({
  name: 'reader',
  description: 'reads its ancestors’ manifests',
  module: import.meta.url,
  config: z.object({ of: z.enum(['source', 'total', 'stranger']).default('source') }),
  needs: { total },
  outputs: { seen: artifact.json(z.string()) },
  async run({ config, manifest }) {
    const stage = { source, total, stranger }[config.of];
    return { seen: (await manifest(stage)).stage };
  },
});
const stranger = defineStage({
  name: 'stranger',
  description: 'not upstream of reader',
  module: import.meta.url,
  config: z.object({}),
  needs: {},
  outputs: { nothing: artifact.json(z.null()) },
  async run() {
    return { nothing: null };
  },
});
const toyPipeline = definePipeline({ name: 'toy', description: 'fixture', stages: [reader, stranger] });

describe('context.manifest', () => {
  test('reads the manifest of an upstream stage, direct or not, and refuses any other', async () => {
    const root = tempRoot();
    const quiet = { log: () => undefined, runtimeUsed: async () => undefined };
    for (const stage of ['source', 'total', 'stranger']) await runStage(toyPipeline, stage, { root, ...quiet });
    await runStage(toyPipeline, 'reader', { root, ...quiet, overrides: [{ path: ['reader', 'of'], value: 'source' }] });
    expect(JSON.parse(readFileSync(join(stageDir(root, 'toy', 'reader'), 'outputs', 'seen.json'), 'utf8'))).toBe('source');
    await expect(
      runStage(toyPipeline, 'reader', { root, ...quiet, overrides: [{ path: ['reader', 'of'], value: 'stranger' }] }),
    ).rejects.toThrow(/stage reader can read the manifests of its upstream stages only, not of 'stranger'/);
  });
});
