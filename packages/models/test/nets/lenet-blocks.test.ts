/**
 * `wasmSimdBlocks` (the fused WebAssembly SIMD blocks: conv → 2×2 max-pool → bias → ReLU)
 * against `tfjsBlocks`, the tfjs ops they replace, on real MNIST images (whose black background
 * gives exact ties in the pools), on the wasm and cpu backends: inference values, training
 * values, and the input, kernel and bias gradients. (The MC dropout head: lenet-kernels/mc-head.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@rdl/runtime';
import { imagesToTensor, LeNet, tfjsBlocks, wasmSimdBlocks, type LeNetBlocks } from '../../src/index.js';
import { loadMnist } from '../../bench/mnist-idx.js';
import { maxAbsDiff } from '../max-abs-diff.js';

const test = loadMnist('test', 40);

/** A LeNet with non-zero biases (they start at 0), so their place in the sums is exercised. */
function netWithBiases(seed: number): LeNet {
  const net = LeNet.create({ dropout: 0.5, seed });
  const weights = net.getWeights();
  for (const name of ['conv1_bias', 'conv2_bias']) weights[name].values = weights[name].values.map((_, i) => 0.05 * Math.sin(i + 1));
  net.setWeights(weights);
  return net;
}

/** The reference training block: ReLU(max-pool(conv(x)) + b) in tfjs ops. */
const referenceBlock = tfjsBlocks.trainFirst;

describe('LeNet blocks: wasmSimdBlocks against tfjsBlocks', () => {
  let wasm: LeNetBlocks;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    await import('@tensorflow/tfjs-backend-cpu');
    wasm = await wasmSimdBlocks();
  });

  it('LeNet without blocks runs exactly tfjsBlocks in training', () => {
    const net = netWithBiases(2);
    tf.tidy(() => {
      const x = imagesToTensor(test.pixels, 8);
      const plain = net.logits(x, { training: true, seed: 3 }).dataSync();
      expect(net.logits(x, { training: true, seed: 3, blocks: tfjsBlocks }).dataSync()).toEqual(plain);
    });
    net.dispose();
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`infers the trunk of the tfjs ops (${backend})`, async () => {
      tf.setBackend(backend);
      const net = netWithBiases(3);
      const [kernel, bias] = net.variables();
      const k = (await kernel.data()) as Float32Array;
      const b = (await bias.data()) as Float32Array;
      const start = tf.memory().numTensors;
      // Two batches back to back: the first result must not change when the kernel's memory is reused.
      const first = wasm.inferFirst(test.pixels, 0, 25, k, b);
      const second = wasm.inferFirst(test.pixels, 25, 15, k, b);
      const fast = tf.tidy(() => tf.concat([net.trunkAfterFirstBlock(first), net.trunkAfterFirstBlock(second)]).dataSync());
      const reference = tf.tidy(() => net.trunk(imagesToTensor(test.pixels, 40)).dataSync());
      const blockRef = tf.tidy(() => tfjsBlocks.inferFirst(test.pixels, 0, 40, k, b).dataSync());
      const blockErr = maxAbsDiff(
        tf.tidy(() => tf.concat([first, second]).dataSync()),
        blockRef,
      );
      const trunkErr = maxAbsDiff(fast, reference);
      console.log(
        `first block inference on ${backend}: block max abs error ${blockErr.toExponential(2)}, trunk ${trunkErr.toExponential(2)}`,
      );
      // Float32 sums of 25 products in another order: ~1e-7 of values of order 1.
      expect(blockErr).toBeLessThan(1e-5);
      expect(trunkErr).toBeLessThan(1e-4);
      expect(Math.max(...fast)).toBeGreaterThan(0);
      tf.dispose([first, second]);
      expect(tf.memory().numTensors).toBe(start);
      net.dispose();
      tf.setBackend('wasm');
    });

    it(`trains with the values and gradients of the tfjs ops (${backend})`, async () => {
      tf.setBackend(backend);
      const net = netWithBiases(5);
      const [kernel, bias] = net.variables();
      const x = imagesToTensor(test.pixels, 24);
      const other = imagesToTensor(test.pixels.subarray(24 * 784), 16);
      const dy = tf.randomUniform([24, 12, 12, 20], -1, 1, 'float32', 7);
      const start = tf.memory().numTensors;
      const grads = (f: (k: tf.Tensor, b: tf.Tensor) => tf.Tensor4D): { value: Float32Array; dk: Float32Array; db: Float32Array } =>
        tf.tidy(() => {
          const value = f(kernel, bias).dataSync() as Float32Array;
          const [dk, db] = tf.grads((k: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(k, b), dy)))([kernel, bias]);
          return { value, dk: dk.dataSync() as Float32Array, db: db.dataSync() as Float32Array };
        });
      const want = grads((k, b) => tfjsBlocks.trainFirst(x, k, b));
      const got = grads((k, b) => wasm.trainFirst(x, k, b));
      // Another forward pass between this one and its gradient: the backward pass must restore its inputs.
      const interleaved = tf.tidy(() => {
        const [dk] = tf.grads((k: tf.Tensor, b: tf.Tensor) => {
          const y = wasm.trainFirst(x, k, b);
          tf.dispose(wasm.trainFirst(other, k, b));
          return tf.sum(tf.mul(y, dy));
        })([kernel, bias]);
        return dk.dataSync() as Float32Array;
      });
      const valueErr = maxAbsDiff(got.value, want.value);
      const dkErr = maxAbsDiff(got.dk, want.dk);
      const dbErr = maxAbsDiff(got.db, want.db);
      console.log(
        `first block training on ${backend}: value ${valueErr.toExponential(2)}, dW ${dkErr.toExponential(2)}, db ${dbErr.toExponential(2)}`,
      );
      expect(valueErr).toBeLessThan(1e-5);
      // Gradients sum ≈ 2,900 terms per entry (24 images × 144 pools) of size ≤ 1: ~1e-4 at most.
      expect(dkErr).toBeLessThan(1e-3 * (1 + Math.max(...want.dk.map(Math.abs))));
      expect(dbErr).toBeLessThan(1e-3 * (1 + Math.max(...want.db.map(Math.abs))));
      expect(maxAbsDiff(interleaved, got.dk)).toBe(0);
      expect(tf.memory().numTensors).toBe(start);
      tf.dispose([x, other, dy]);
      net.dispose();
      tf.setBackend('wasm');
    });
  }

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`second block: values and gradients (input, kernel, bias) of the tfjs ops (${backend})`, async () => {
      tf.setBackend(backend);
      const net = netWithBiases(6);
      const [k1, b1, k2, b2] = net.variables();
      // Real first-block outputs: ReLU zeros and all-zero patches, hence exact ties in the pools.
      const x = tf.tidy(() => referenceBlock(imagesToTensor(test.pixels, 20), k1, b1));
      const other = tf.tidy(() => referenceBlock(imagesToTensor(test.pixels.subarray(20 * 784), 12), k1, b1));
      const dy = tf.randomUniform([20, 4, 4, 50], -1, 1, 'float32', 8);
      const start = tf.memory().numTensors;
      const run = (f: (x: tf.Tensor4D, k: tf.Tensor, b: tf.Tensor) => tf.Tensor4D, interleave = false): Float32Array[] =>
        tf.tidy(() => {
          const value = f(x, k2, b2).dataSync() as Float32Array;
          const grads = tf.grads((xx: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => {
            const y = f(xx as tf.Tensor4D, k, b);
            if (interleave) tf.dispose(f(other, k, b));
            return tf.sum(tf.mul(y, dy));
          })([x, k2, b2]);
          return [value, ...grads.map((t) => t.dataSync() as Float32Array)];
        });
      const want = run((xx, k, b) => tfjsBlocks.trainSecond(xx, k, b));
      const got = run((xx, k, b) => wasm.trainSecond(xx, k, b));
      const interleaved = run((xx, k, b) => wasm.trainSecond(xx, k, b), true);
      const names = ['value', 'dx', 'dW', 'db'];
      const errs = got.map((g, i) => maxAbsDiff(g, want[i]));
      console.log(`second block on ${backend}: ${names.map((name, i) => `${name} ${errs[i].toExponential(2)}`).join(', ')}`);
      got.forEach((_, i) => expect(errs[i]).toBeLessThan(1e-4 * (1 + Math.max(...want[i].map(Math.abs)))));
      interleaved.forEach((g, i) => expect(maxAbsDiff(g, got[i])).toBe(0));
      expect(tf.memory().numTensors).toBe(start);
      tf.dispose([x, other, dy]);
      net.dispose();
      tf.setBackend('wasm');
    });
  }

  it('rejects weights that are not LeNet conv1', () => {
    expect(() => wasm.inferFirst(test.pixels, 0, 1, new Float32Array(10), new Float32Array(20))).toThrow(/\[5,5,1,20\]/);
  });
});
