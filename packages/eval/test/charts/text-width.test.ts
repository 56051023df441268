import { describe, expect, it } from 'vitest';
import { estimateTextWidth } from '../../src/charts/text-width.js';

describe('theme', () => {
  it('estimates text narrower than vega’s 0.8 em guess, wider for capitals', () => {
    expect(estimateTextWidth('iiii', 10)).toBeLessThan(estimateTextWidth('MMMM', 10));
    // Per mille and the em dash are wider than a letter (legends ending in "AURC 1.0‰" were clipped).
    expect(estimateTextWidth('‰', 10)).toBeGreaterThan(estimateTextWidth('M', 10));
    expect(estimateTextWidth('—', 10)).toBeGreaterThan(estimateTextWidth('a', 10));
    expect(estimateTextWidth('Predictive mean', 11)).toBeLessThan(0.8 * 15 * 11);
  });
});
