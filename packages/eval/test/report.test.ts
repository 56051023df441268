import { describe, expect, it } from 'vitest';
import { anchorId, buildHtmlReport, buildMarkdownSummary, escapeHtml, escapeMarkdown, formatNumber, inlineSvg, type ReportInput } from '../src/index.js';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" viewBox="0 0 300 200"><defs><clipPath id="clip1"><rect width="10" height="10"/></clipPath></defs><g clip-path="url(#clip1)"><text>σ²</text></g></svg>';

function input(): ReportInput {
  return {
    title: 'Week <1> & "friends"',
    subtitle: 'Bayesian models',
    generatedAt: new Date('2026-11-26T18:00:00Z'),
    sections: [
      {
        id: '1.4',
        title: 'Predictive variance',
        question: 'Where is σ² minimal? <script>alert(1)</script>',
        figures: [
          { caption: 'Fit with bands <b>bold?</b>', svg: SVG, path: 'figures/fit 1.4.png' },
          { caption: 'Same again', svg: SVG },
        ],
        tables: [{ caption: 'Summary | pipes', columns: ['quantity', 'value'], rows: [['argmin σ²', 0.912345], ['a|b', null], ['n', 12345]] }],
        notes: ['minimum at the barycentre <ok>'],
      },
      { id: 'bonus', question: 'Two clouds', figures: [{ caption: 'Two clouds', path: 'figures/bonus.png' }] },
      { id: 'II', title: 'Failure prediction', question: 'PR curves', tables: [] },
    ],
    provenance: { commit: 'abc123', config: 'sha256:<x>' },
  };
}

describe('formatting', () => {
  it('escapes HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
  it('escapes Markdown syntax', () => {
    expect(escapeMarkdown('a|b *c* [d](e) <f> &lt;')).toBe('a\\|b \\*c\\* \\[d\\]\\(e\\) \\<f\\> &amp;lt;');
    expect(escapeMarkdown('- not a list')).toBe('\\- not a list');
  });
  it('formats numbers sensibly', () => {
    expect(formatNumber(0.912345)).toBe('0.9123');
    expect(formatNumber(12345)).toBe('12\u202f345');
    expect(formatNumber(123456.78)).toBe('123456.8');
    expect(formatNumber(1.2345e-6)).toBe('1.23e-6');
    expect(formatNumber(-0.5)).toBe('−0.5');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatNumber(Infinity)).toBe('∞');
  });
  it('derives stable anchors', () => {
    expect(anchorId('1.4')).toBe('q-1-4');
    expect(anchorId('II')).toBe('q-ii');
  });
});

describe('inline SVG', () => {
  it('scopes ids and strips scripts and handlers', () => {
    const s = inlineSvg(SVG.replace('<g ', '<g onclick="evil()" ').replace('</svg>', '<script>alert(1)</script></svg>'), 'f1');
    expect(s).toContain('id="f1-clip1"');
    expect(s).toContain('url(#f1-clip1)');
    expect(s).not.toMatch(/<script|onclick/);
    expect(s).toContain('style="max-width:300px;height:auto"');
  });
});

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
});

describe('Markdown summary', () => {
  const md = buildMarkdownSummary(input());
  it('has every section, tables and relative figure paths', () => {
    expect(md).toContain('## 1.4 — Predictive variance');
    expect(md).toContain('<a id="q-bonus"></a>');
    expect(md).toContain('![Fit with bands \\<b\\>bold?\\</b\\>](figures/fit%201.4.png)');
    expect(md).toContain('| quantity | value |');
    expect(md).toContain('| a\\|b | — |');
    expect(md).toContain('| commit | abc123 |');
    expect(md).not.toContain('<script>');
  });
});
