import { describe, expect, test } from 'vitest';
import { lineDataset } from '../../src/synthetic/line.js';
import { sinusoidDataset } from '../../src/synthetic/sinusoid.js';
import { twoCloudsDataset } from '../../src/synthetic/two-clouds.js';

// parseGeneratorParams: every generator reports a bad parameter as one error naming the field.
describe('regression generators', () => {
  test('invalid parameters give one error naming the field', () => {
    expect(() => lineDataset({ xLow: 2, xHigh: 1 })).toThrow(/lineDataset: xHigh: /);
    expect(() => lineDataset({ n: 2.5 })).toThrow(/lineDataset: n: /);
    expect(() => sinusoidDataset({ noiseStd: -1 })).toThrow(/sinusoidDataset: noiseStd: /);
    expect(() => twoCloudsDataset({ left: [1, -1] })).toThrow(/twoCloudsDataset: left: /);
    expect(() => lineDataset({ test: { low: 0, high: 1, n: 0 } })).toThrow(/test\.n/);
  });
});
