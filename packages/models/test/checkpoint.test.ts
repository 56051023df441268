import { describe, expect, it } from 'vitest';
import { initBackend } from '@rdl/runtime';
import { deserializeWeights, LeNet, serializeWeights } from '../src/index.js';

describe('checkpoint', () => {
  it('round-trips LeNet weights exactly', async () => {
    await initBackend({ backend: 'cpu' });
    const a = LeNet.create({ dropout: 0.5, seed: 3 });
    const { manifest, data } = serializeWeights(a.getWeights());
    expect(data.byteLength).toBe(4 * (500 + 20 + 25000 + 50 + 400000 + 500 + 5000 + 10));
    const back = deserializeWeights(manifest, data);
    const b = LeNet.create({ dropout: 0.5, seed: 99 });
    expect(b.getWeights().fc1_kernel.values).not.toEqual(a.getWeights().fc1_kernel.values);
    b.setWeights(back);
    const restored = b.getWeights();
    for (const [name, w] of Object.entries(a.getWeights())) {
      expect(restored[name].shape).toEqual(w.shape);
      expect(restored[name].values).toEqual(w.values);
    }
    a.dispose();
    b.dispose();
  });

  it('rejects inconsistent manifests and data with a clear message', () => {
    const { manifest, data } = serializeWeights({ w: { shape: [2, 3], values: new Float32Array([1, 2, 3, 4, 5, 6]) } });
    expect(deserializeWeights(manifest, data).w.values).toEqual(new Float32Array([1, 2, 3, 4, 5, 6]));
    expect(() => deserializeWeights(manifest, data.subarray(0, 20))).toThrow('weights data has 20 bytes, the manifest says 24');
    const m = JSON.parse(manifest);
    m.weights[0].shape = [3, 3];
    expect(() => deserializeWeights(JSON.stringify(m), data)).toThrow('weight "w": shape [3,3] needs 36 bytes');
    expect(() => deserializeWeights('{"format":"other"}', data)).toThrow('weights manifest field "format"');
    expect(() => deserializeWeights('not json', data)).toThrow('not valid JSON');
    expect(() => serializeWeights({ w: { shape: [4], values: new Float32Array(3) } })).toThrow('needs 4 values, got 3');
  });

  it('setWeights names the missing or mis-shaped weight', async () => {
    await initBackend({ backend: 'cpu' });
    const net = LeNet.create({ dropout: 0.5, seed: 1 });
    const w = net.getWeights();
    const { fc2_bias: _drop, ...missing } = w;
    expect(() => net.setWeights(missing)).toThrow('weight "fc2_bias" is missing');
    expect(() => net.setWeights({ ...w, fc2_bias: { shape: [11], values: new Float32Array(11) } })).toThrow(
      '"fc2_bias" has shape [11], expected [10]',
    );
    net.dispose();
  });
});
