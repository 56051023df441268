import { describe, expect, it } from 'vitest';
import { anchorId, escapeHtml, escapeMarkdown, formatNumber } from '../../src/report/format.js';

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
