import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backendFromEnv, getBackendInfo, initBackend } from '../../src/index.js';

const saved = process.env.RDL_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.RDL_BACKEND;
  else process.env.RDL_BACKEND = saved;
});

describe('initBackend', () => {
  it('rejects an unknown RDL_BACKEND with a clear message', async () => {
    expect(() => backendFromEnv('gpu')).toThrow('RDL_BACKEND must be one of tensorflow, wasm, cpu (got "gpu")');
    process.env.RDL_BACKEND = 'x';
    await expect(initBackend()).rejects.toThrow('RDL_BACKEND must be one of tensorflow, wasm, cpu (got "x")');
    expect(getBackendInfo()).toBeUndefined();
  });

  it('honours RDL_BACKEND=cpu and is idempotent', async () => {
    process.env.RDL_BACKEND = 'cpu';
    const info = await initBackend();
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await initBackend()).toBe(info);
    expect(getBackendInfo()).toBe(info);
  });

  it('lets an explicit option win over the environment and registers the wasm kernels', async () => {
    process.env.RDL_BACKEND = 'cpu';
    const info = await initBackend({ backend: 'wasm' });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.registeredKernels).toContain('Conv2DBackpropFilter');
    expect(info.registeredKernels).toContain('Conv2DBackpropInput');
    expect(info.simd).toBe(true);
    expect(info.threads).toBeGreaterThanOrEqual(1);
  });

  it('fails loudly (no fallback) when an explicitly requested backend cannot start', async () => {
    let importable = true;
    try {
      const name = '@tensorflow/tfjs-node';
      await import(name);
    } catch {
      importable = false;
    }
    if (importable) {
      expect((await initBackend({ backend: 'tensorflow' })).name).toBe('tensorflow');
    } else {
      await expect(initBackend({ backend: 'tensorflow' })).rejects.toThrow('could not start the requested tfjs backend "tensorflow"');
      expect(getBackendInfo()?.name).toBe('wasm');
    }
  });

  it('without any request picks the fastest available backend', async () => {
    delete process.env.RDL_BACKEND;
    const info = await initBackend();
    // The current backend is kept when nothing is requested.
    expect(['tensorflow', 'wasm']).toContain(info.name);
  });
});
