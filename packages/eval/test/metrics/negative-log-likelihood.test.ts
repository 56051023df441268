import { describe, expect, it } from 'vitest';
import { NLL_PROB_FLOOR, negativeLogLikelihood } from '../../src/metrics/negative-log-likelihood.js';

describe('negativeLogLikelihood', () => {
  it('mean −log p(true class), floored', () => {
    expect(negativeLogLikelihood([0.5, 0.5, 1, 0], [0, 0])).toBeCloseTo(Math.LN2 / 2, 12);
    expect(negativeLogLikelihood([0, 1], [0])).toBeCloseTo(-Math.log(NLL_PROB_FLOOR), 9);
    expect(-Math.log(NLL_PROB_FLOOR)).toBeCloseTo(27.631, 3);
  });
});
