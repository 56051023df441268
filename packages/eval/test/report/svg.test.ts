import { describe, expect, it } from 'vitest';
import { inlineSvg } from '../../src/report/svg.js';
import { SVG } from './report-input.js';

describe('inline SVG', () => {
  it('scopes ids and strips scripts and handlers', () => {
    const s = inlineSvg(SVG.replace('<g ', '<g onclick="evil()" ').replace('</svg>', '<script>alert(1)</script></svg>'), 'f1');
    expect(s).toContain('id="f1-clip1"');
    expect(s).toContain('url(#f1-clip1)');
    expect(s).not.toMatch(/<script|onclick/);
    expect(s).toContain('style="max-width:300px;height:auto"');
  });
});
