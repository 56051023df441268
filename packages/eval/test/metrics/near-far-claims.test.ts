import { describe, expect, it } from 'vitest';
import { judgeAbove, nearFarClaims, nearFarClaimSchema } from '../../src/metrics/near-far-claims.js';

// The SPEC's own example: MAP's ratio is larger only because its near entropy is tiny.
const metrics = [
  { method: 'MAP', dataset: 'blobs', entropyNear: 0.001, entropyFar: 0.0131, miNear: 0, miFar: 0 },
  { method: 'VI', dataset: 'blobs', entropyNear: 0.028, entropyFar: 0.059, miNear: 0.02, miFar: 0.05 },
  { method: 'Laplace', dataset: 'blobs', entropyNear: 0.01, entropyFar: 0.01, miNear: 0.004, miFar: 0.003 },
];

describe('nearFarClaims', () => {
  it('judges on the far entropy against the baseline and on MI far vs near, not on the ratio', () => {
    const claims = nearFarClaims([{ method: 'VI', baseline: 'MAP', dataset: 'blobs' }], metrics);
    expect(claims).toHaveLength(2);
    const [far, mi] = claims;
    // VI's far/near ratio (2.1) is far below MAP's (13.1), yet its far entropy is 4.5× MAP's: the claim holds.
    expect(far).toMatchObject({ claim: 'far-entropy-above-baseline', pair: 'VI vs MAP', value: 0.059, reference: 0.0131, holds: true });
    expect(far!.difference).toBeCloseTo(0.059 - 0.0131, 12);
    expect(mi).toMatchObject({ claim: 'epistemic-far-above-near', value: 0.05, reference: 0.02, referenceMetric: 'miNear', holds: true });
    for (const c of claims) expect(nearFarClaimSchema.parse(c)).toEqual(c);
  });

  it('a claim fails when the Bayesian number is not above (ties included)', () => {
    const [far, mi] = nearFarClaims([{ method: 'Laplace', baseline: 'MAP', dataset: 'blobs' }], metrics);
    expect(far!.holds).toBe(false); // 0.01 < 0.0131
    expect(mi!.holds).toBe(false); // 0.003 < 0.004
    expect(mi!.difference).toBeLessThan(0);
    expect(judgeAbove(0.5, 0.5, 'tie')).toBe(false);
    expect(judgeAbove(0.5000001, 0.5, 'above')).toBe(true);
  });

  it('names the missing method and data set, and refuses non-finite numbers', () => {
    expect(() => nearFarClaims([{ method: 'VI', baseline: 'MAP', dataset: 'moons' }], metrics)).toThrow(/"VI" on data set "moons"/);
    expect(() => judgeAbove(Number.NaN, 0, 'VI vs MAP')).toThrow(/VI vs MAP: cannot judge/);
  });
});
