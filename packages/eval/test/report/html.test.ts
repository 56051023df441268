import { describe, expect, it } from 'vitest';
import { buildHtmlReport } from '../../src/report/html.js';
import { input } from './report-input.js';

describe('HTML report', () => {
  const html = buildHtmlReport(input());

  it('is one self-contained page with every section and a table of contents', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const id of ['q-1-4', 'q-bonus', 'q-ii']) {
      expect(html).toContain(`id="${id}"`);
      expect(html).toContain(`href="#${id}"`);
    }
    expect(html).not.toMatch(/<script|<link |src="http/);
    expect((html.match(/<svg /g) ?? []).length).toBe(2);
    expect(html).toContain('<img src="figures/bonus.png"');
  });

  it('escapes all user text', () => {
    expect(html).toContain('<title>Week &lt;1&gt; &amp; &quot;friends&quot;</title>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Fit with bands &lt;b&gt;bold?&lt;/b&gt;');
    expect(html).toContain('sha256:&lt;x&gt;');
    expect(html).not.toContain('<b>bold?</b>');
  });

  it('keeps ids unique across figures and formats numbers', () => {
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(html).toContain('<td class="num">0.9123</td>');
    expect(html).toContain('<td class="num">12\u202f345</td>'); // numbers and nulls: right-aligned
    expect(html).toContain('<td>argmin σ²</td>');
  });

  it('rejects malformed input naming the field', () => {
    const bad = input();
    bad.sections[0].tables = [{ caption: 't', columns: ['a', 'b'], rows: [[1]] }];
    expect(() => buildHtmlReport(bad)).toThrow(/sections\.0\.tables\.0/);
    const dup = input();
    dup.sections[1].id = '1.4';
    expect(() => buildHtmlReport(dup)).toThrow(/duplicate id "1.4"/);
  });

  it('shows the links under the title, escaped', () => {
    const linked = buildHtmlReport({ ...input(), links: [{ text: 'Lab <page>', href: '../lab.html?a=1&b=2' }] });
    expect(linked).toContain('<a href="../lab.html?a=1&amp;b=2">Lab &lt;page&gt;</a>');
    expect(html).not.toContain('lab.html');
  });
});
