import { describe, expect, it } from 'vitest';
import { buildMarkdownSummary } from '../../src/report/markdown.js';
import { input } from './report-input.js';

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

  it('shows the links under the title', () => {
    const linked = buildMarkdownSummary({ ...input(), links: [{ text: 'Week 3 lab', href: '../../../../apps/web/dist/week3.html' }] });
    expect(linked).toContain('[Week 3 lab](../../../../apps/web/dist/week3.html)');
  });
});
