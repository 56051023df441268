import { describe, expect, it } from 'vitest';
import { reliabilityDiagram } from '../../src/curves/reliability.js';

describe('reliabilityDiagram', () => {
  it('per-bin confidence, accuracy and count', () => {
    const probs = new Float32Array([0.95, 0.05, 0.85, 0.15, 0.25, 0.75, 0.35, 0.65, 0.55, 0.45]);
    const d = reliabilityDiagram(probs, [0, 1, 1, 1, 1], 5);
    expect(d.count).toBe(5);
    expect(d.bins.map((b) => b.count)).toEqual([0, 0, 1, 2, 2]);
    expect(d.bins[0].confidence).toBeNull();
    expect(d.bins[0].accuracy).toBeNull();
    expect(d.bins[2].accuracy).toBe(0);
    expect(d.bins[2].confidence).toBeCloseTo(0.55, 6);
    expect(d.bins[3].accuracy).toBe(1);
    expect(d.bins[3].confidence).toBeCloseTo(0.7, 6);
    expect(d.bins[4].accuracy).toBe(0.5);
    expect(d.bins[4].confidence).toBeCloseTo(0.9, 6);
    expect(d.bins[4].lower).toBeCloseTo(0.8, 12);
    expect(d.bins[4].upper).toBe(1);
    expect(d.ece).toBeCloseTo(0.39, 6);
  });
});
