import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { adam } from '../../src/training/adam.js';
import { minimize, tfAdam } from '../../src/training/tf-adam.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A small loss with different curvature per coordinate, over two variables. */
const loss = (a: tf.Variable, b: tf.Variable) => (): tf.Scalar =>
  tf.add(tf.sum(tf.mul(tf.square(tf.sub(a, 1)), tf.tensor1d([1, 3, 0.2]))), tf.sum(tf.sin(b))) as tf.Scalar;

function variables(prefix: string): [tf.Variable, tf.Variable] {
  return [tf.variable(tf.tensor1d([0.5, -1, 2]), true, `${prefix}_a`), tf.variable(tf.tensor1d([0.3, 1.2]), true, `${prefix}_b`)];
}

describe('tfAdam', () => {
  it("minimize(tfAdam, …) is tf.train.adam's minimize bit for bit (the LeNet one-thread and VI steps)", () => {
    const ours = variables('ours');
    const ref = variables('ref');
    const opt = tfAdam({ learningRate: 0.05 });
    const refOpt = tf.train.adam(0.05);
    for (let step = 0; step < 8; step++) {
      const l = minimize(opt, ours, loss(...ours));
      const r = refOpt.minimize(loss(...ref), true, ref);
      expect(l.dataSync()[0]).toBe(r?.dataSync()[0]);
      tf.dispose([l, r as tf.Scalar]);
    }
    ours.forEach((v, k) => expect(v.dataSync()).toEqual(ref[k].dataSync()));
    expect(ours[0].dataSync()[0]).not.toBe(0.5); // it moved
    tf.dispose([...ours, ...ref]);
    opt.dispose();
    refOpt.dispose();
  });

  it('follows the float64 adam, weight decay included (AdamW: decay, then step), to float32 precision', () => {
    const vars = variables('decay');
    const host = [Float64Array.of(0.5, -1, 2), Float64Array.of(0.3, 1.2)];
    const o = { learningRate: 0.05, epsilon: 1e-7, weightDecay: 0.3 };
    const opt = tfAdam(o);
    const ref = adam(o);
    for (let step = 0; step < 10; step++) {
      // The same gradients on both sides (exact in float32), so only the update rules are compared.
      const grads = [Float64Array.of(1, -0.5, 0.25 * step), Float64Array.of(-2, 0.125)];
      ref.step(host, grads);
      tf.tidy(() =>
        opt.step(
          vars,
          grads.map((g) => tf.tensor1d(Float32Array.from(g))),
        ),
      );
    }
    let worst = 0;
    vars.forEach((v, k) => v.dataSync().forEach((w, q) => (worst = Math.max(worst, Math.abs(w - host[k][q])))));
    // Stepping before decaying (the old tfjs engine) is off by ≈ lr²·λ per step, ≈ 1e-2 here.
    expect(worst).toBeLessThan(1e-5);
    expect(Math.abs(host[0][0] - 0.5)).toBeGreaterThan(0.1); // it moved
    tf.dispose(vars);
    opt.dispose();
  });

  it('rejects a gradient list that does not match the variables', () => {
    const vars = variables('bad');
    const opt = tfAdam({ learningRate: 0.1 });
    expect(() => opt.step(vars, [tf.scalar(1)])).toThrow(/1 gradients for 2 variables/);
    tf.dispose(vars);
    opt.dispose();
  });
});
