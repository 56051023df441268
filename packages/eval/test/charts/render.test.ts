import { describe, expect, it } from 'vitest';
import { compactSvg } from '../../src/charts/render.js';

describe('theme', () => {
  it('compactSvg rounds geometry but never text', () => {
    const s = compactSvg('<path transform="translate(1.23456,-0.0001)" d="M0.33333,1L2,2"/><text x="3.14159">0.12345</text>');
    expect(s).toBe('<path transform="translate(1.23,0)" d="M0.33,1L2,2"/><text x="3.14">0.12345</text>');
  });
});
