import { describe, expect, it } from 'vitest';
import { POSITIVE_CLASSES, asConfidence, asUncertainty, failureLabels, oodLabels, orientScore, type Score } from '../src/index.js';

const confidence: Score = { name: 'mcp', values: [0.9, 0.2, 0.5], direction: 'higher-is-more-confident' };
const uncertainty: Score = { name: 'entropy', values: [0.1, 1.5, 0.7], direction: 'higher-is-more-uncertain' };

describe('orientScore', () => {
  it('negates a confidence for the uncertain positives (error, ood) only', () => {
    expect(Array.from(orientScore(confidence, 'error'))).toEqual([-0.9, -0.2, -0.5]);
    expect(Array.from(orientScore(confidence, 'ood'))).toEqual([-0.9, -0.2, -0.5]);
    expect(Array.from(orientScore(confidence, 'success'))).toEqual([0.9, 0.2, 0.5]);
    expect(Array.from(orientScore(confidence, 'in-distribution'))).toEqual([0.9, 0.2, 0.5]);
  });

  it('negates an uncertainty for the confident positives (success, in-distribution) only', () => {
    expect(Array.from(orientScore(uncertainty, 'error'))).toEqual([0.1, 1.5, 0.7]);
    expect(Array.from(orientScore(uncertainty, 'ood'))).toEqual([0.1, 1.5, 0.7]);
    expect(Array.from(orientScore(uncertainty, 'success'))).toEqual([-0.1, -1.5, -0.7]);
    expect(Array.from(orientScore(uncertainty, 'in-distribution'))).toEqual([-0.1, -1.5, -0.7]);
  });

  it('returns a fresh array, leaving the score untouched', () => {
    const values = new Float32Array([1, 2]);
    const out = orientScore({ name: 's', values, direction: 'higher-is-more-uncertain' }, 'error');
    out[0] = 99;
    expect(values[0]).toBe(1);
    expect(out).toBeInstanceOf(Float64Array);
  });

  it('rejects an unknown direction or positive class, naming the field', () => {
    const bad = { name: 's', values: [1], direction: 'higher-is-better' } as unknown as Score;
    expect(() => orientScore(bad, 'error')).toThrow(/score\.direction/);
    expect(() => orientScore(uncertainty, 'errors' as never)).toThrow(/positive/);
  });

  it('asUncertainty / asConfidence convert directions', () => {
    const u = asUncertainty(confidence);
    expect(u.direction).toBe('higher-is-more-uncertain');
    expect(Array.from(u.values)).toEqual([-0.9, -0.2, -0.5]);
    expect(Array.from(asUncertainty(uncertainty).values)).toEqual([0.1, 1.5, 0.7]);
    const c = asConfidence(uncertainty);
    expect(c.direction).toBe('higher-is-more-confident');
    expect(Array.from(c.values)).toEqual([-0.1, -1.5, -0.7]);
  });

  it('the positive-class table pairs each class with the direction it needs', () => {
    expect(POSITIVE_CLASSES.error.higherMeans).toBe('higher-is-more-uncertain');
    expect(POSITIVE_CLASSES.ood.higherMeans).toBe('higher-is-more-uncertain');
    expect(POSITIVE_CLASSES.success.higherMeans).toBe('higher-is-more-confident');
    expect(POSITIVE_CLASSES['in-distribution'].higherMeans).toBe('higher-is-more-confident');
    expect(POSITIVE_CLASSES.error.description).toMatch(/misclassified/);
  });
});

describe('label helpers', () => {
  it('failureLabels marks errors with 1', () => {
    expect(Array.from(failureLabels([0, 1, 2, 3], [0, 2, 2, 1]))).toEqual([0, 1, 0, 1]);
    expect(() => failureLabels([0, 1], [0])).toThrow(/predicted has 2 entries but truth has 1/);
    expect(() => failureLabels([0.5], [0])).toThrow(/predicted\[0\]/);
  });

  it('oodLabels puts in-distribution (0) first, OOD (1) after', () => {
    expect(Array.from(oodLabels(2, 3))).toEqual([0, 0, 1, 1, 1]);
    expect(() => oodLabels(-1, 2)).toThrow(/nIn/);
  });
});
