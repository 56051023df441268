/**
 * The wasm first block (conv1 → max-pool → bias → ReLU) against the tfjs ops it replaces at
 * inference, on real MNIST images, on the wasm and the cpu backends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { imagesToTensor, initBackend, LeNet } from '../src/index.js';
import { LeNetFirstLayer } from '../src/nets/lenet-first-layer.js';
import { loadMnist } from '../bench/mnist-idx.js';

const test = loadMnist('test', 40);

async function firstLayer(net: LeNet): Promise<LeNetFirstLayer> {
  const [kernel, bias] = net.variables();
  return LeNetFirstLayer.create((await kernel.data()) as Float32Array, (await bias.data()) as Float32Array);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let err = 0;
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
  return err;
}

describe('LeNetFirstLayer', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    await import('@tensorflow/tfjs-backend-cpu');
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`gives the trunk of the tfjs ops at inference (${backend})`, async () => {
      tf.setBackend(backend);
      const net = LeNet.create({ dropout: 0.5, seed: 3 });
      // Non-zero biases (they start at 0), so their place in the sums is exercised too.
      const weights = net.getWeights();
      for (const name of ['conv1_bias', 'conv2_bias']) weights[name].values = weights[name].values.map((_, i) => 0.05 * Math.sin(i + 1));
      net.setWeights(weights);
      const first = await firstLayer(net);
      const start = tf.memory().numTensors;
      // Two batches back to back: the first result must not change when the kernel's memory is reused.
      const a = first.run(test.pixels, 0, 25);
      const b = first.run(test.pixels, 25, 15);
      const fast = tf.tidy(() => tf.concat([net.trunkAfterFirstBlock(a), net.trunkAfterFirstBlock(b)]).dataSync());
      const reference = tf.tidy(() => net.trunk(imagesToTensor(test.pixels, 40)).dataSync());
      const firstBlock = tf.tidy(() => {
        const [kernel, bias] = net.variables();
        const x = imagesToTensor(test.pixels, 40);
        return tf.maxPool(tf.fused.conv2d({ x, filter: kernel as tf.Tensor4D, strides: 1, pad: 'valid', bias, activation: 'relu' }), 2, 2, 'valid').dataSync();
      });
      const blockErr = maxAbsDiff(tf.tidy(() => tf.concat([a, b]).dataSync()), firstBlock);
      const trunkErr = maxAbsDiff(fast, reference);
      console.log(`LeNetFirstLayer on ${backend}: first block max abs error ${blockErr.toExponential(2)}, trunk ${trunkErr.toExponential(2)}`);
      // Float32 sums of 25 products in another order: ~1e-7 of values of order 1.
      expect(blockErr).toBeLessThan(1e-5);
      expect(trunkErr).toBeLessThan(1e-4);
      expect(Math.max(...fast)).toBeGreaterThan(0);
      tf.dispose([a, b]);
      expect(tf.memory().numTensors).toBe(start);
      net.dispose();
      tf.setBackend('wasm');
    });
  }

  it('rejects weights that are not LeNet conv1', async () => {
    await expect(LeNetFirstLayer.create(new Float32Array(10), new Float32Array(20))).rejects.toThrow(/\[5,5,1,20\]/);
  });
});
