import { describe, expect, it } from 'vitest';
import { sgd } from '../../src/training/sgd.js';

describe('sgd', () => {
  it('follows v ← μv + g, θ ← θ − lr·v (PyTorch momentum) step by step', () => {
    const opt = sgd({ learningRate: 0.1, momentum: 0.9 });
    const theta = [Float64Array.of(1, -2)];
    opt.step(theta, [Float64Array.of(0.5, 1)]); // v = (0.5, 1)
    expect(Array.from(theta[0])).toEqual([1 - 0.1 * 0.5, -2 - 0.1 * 1]);
    opt.step(theta, [Float64Array.of(-1, 2)]); // v = (0.9·0.5 − 1, 0.9·1 + 2)
    expect(theta[0][0]).toBeCloseTo(0.95 - 0.1 * (0.45 - 1), 15);
    expect(theta[0][1]).toBeCloseTo(-2.1 - 0.1 * 2.9, 15);
  });

  it('without momentum it is plain gradient descent', () => {
    const opt = sgd({ learningRate: 0.5 });
    const theta = [Float64Array.of(3)];
    for (let i = 0; i < 3; i++) opt.step(theta, [Float64Array.of(2 * theta[0][0])]); // f = θ², θ ← 0·θ
    expect(theta[0][0]).toBe(0);
  });

  it('rejects gradients that do not match the parameters', () => {
    const opt = sgd({ learningRate: 0.1 });
    expect(() => opt.step([new Float64Array(2)], [new Float64Array(3)])).toThrow(/gradient 0 has 3 values, expected 2/);
    expect(() => opt.step([new Float64Array(2)], [])).toThrow(/0 gradients for 1 parameters/);
    opt.step([new Float64Array(2)], [new Float64Array(2)]);
    expect(() => opt.step([new Float64Array(2), new Float64Array(1)], [new Float64Array(2), new Float64Array(1)])).toThrow(
      /started with 1/,
    );
  });
});
