import { describe, expect, it } from 'vitest';
import { adam } from '../../src/training/adam.js';

describe('adam (float64)', () => {
  it('first step moves every parameter by lr·g/(|g| + ε) (bias-corrected moments)', () => {
    const opt = adam({ learningRate: 0.01 });
    const theta = [Float64Array.of(1, 2, 3)];
    const g = Float64Array.of(4, -0.001, 0);
    opt.step(theta, [g]);
    for (let q = 0; q < 3; q++) expect(theta[0][q]).toBeCloseTo([1, 2, 3][q] - (0.01 * g[q]) / (Math.abs(g[q]) + 1e-8), 12);
  });

  it('matches a hand-unrolled second step', () => {
    const [b1, b2, lr, eps] = [0.9, 0.999, 0.1, 1e-8];
    const opt = adam({ learningRate: lr, beta1: b1, beta2: b2, epsilon: eps });
    const theta = [Float64Array.of(0.5)];
    opt.step(theta, [Float64Array.of(2)]);
    opt.step(theta, [Float64Array.of(-1)]);
    const m = b1 * (1 - b1) * 2 + (1 - b1) * -1;
    const v = b2 * (1 - b2) * 4 + (1 - b2) * 1;
    const first = 0.5 - (lr * 2) / (2 + eps); // m̂ = g, v̂ = g²
    expect(theta[0][0]).toBeCloseTo(first - (lr * (m / (1 - b1 ** 2))) / (Math.sqrt(v / (1 - b2 ** 2)) + eps), 12);
  });

  it('decoupled weight decay scales θ by 1 − lr·λ, independent of the gradient (AdamW)', () => {
    const opt = adam({ learningRate: 0.1, weightDecay: 0.5 });
    const theta = [Float64Array.of(2, -4)];
    for (let i = 0; i < 3; i++) opt.step(theta, [new Float64Array(2)]); // zero gradient: only the decay acts
    expect(theta[0][0]).toBeCloseTo(2 * 0.95 ** 3, 14);
    expect(theta[0][1]).toBeCloseTo(-4 * 0.95 ** 3, 14);
  });

  it('minimises a quadratic', () => {
    const opt = adam({ learningRate: 0.05 });
    const theta = [Float64Array.of(3, -2)];
    for (let i = 0; i < 2000; i++) opt.step(theta, [Float64Array.from(theta[0], (t, q) => 2 * (t - q))]); // min at (0, 1)
    expect(Math.abs(theta[0][0])).toBeLessThan(1e-3);
    expect(Math.abs(theta[0][1] - 1)).toBeLessThan(1e-3);
  });

  it('rejects gradients that do not match the parameters', () => {
    expect(() => adam({ learningRate: 0.1 }).step([new Float64Array(2)], [new Float64Array(1)])).toThrow(/adam: gradient 0/);
  });
});
