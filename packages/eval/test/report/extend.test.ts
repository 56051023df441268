import { describe, expect, it } from 'vitest';
import { extendHtmlReport, extendMarkdownSummary } from '../../src/report/extend.js';
import { buildHtmlReport } from '../../src/report/html.js';
import { buildMarkdownSummary } from '../../src/report/markdown.js';
import type { ReportInput } from '../../src/report/types.js';

const week: ReportInput = {
  title: 'Week',
  generatedAt: '2026-11-30T00:00:00Z',
  provenance: { pipeline: 'week3' },
  sections: [
    { id: 'I', title: 'One', question: 'q?', figures: [{ caption: 'a figure', svg: '<svg></svg>', path: '../../figures/outputs/a.png' }] },
  ],
};
const study = {
  id: 'Study',
  title: 'Multi-seed study',
  question: 'over seeds?',
  tables: [{ caption: 'means', columns: ['m'], rows: [[1.5]] }],
  figures: [{ caption: 'dots', svg: '<svg></svg>', path: 'seeds.png' }],
};

describe('extending a report with sections', () => {
  it('HTML: the section follows the week’s, in the contents too, figures numbered on', () => {
    const html = extendHtmlReport(buildHtmlReport(week), [study]);
    expect(html.indexOf('id="q-study"')).toBeGreaterThan(html.indexOf('id="q-i"'));
    expect(html.indexOf('id="q-study"')).toBeLessThan(html.indexOf('</main>'));
    expect(html).toMatch(/<li><a href="#q-study">.*Multi-seed study<\/a><\/li>\n<\/ol><\/nav>/);
    expect(html).toContain('<b>Figure 2.</b> dots');
    expect(html.match(/<html/g)).toHaveLength(1);
  });

  it('Markdown: the section goes before the provenance, the week’s own figure links are rewritten', () => {
    const md = extendMarkdownSummary(buildMarkdownSummary(week), [study], (p) => p.replace('../../', '../../../week3/'));
    expect(md).toContain('](../../../week3/figures/outputs/a.png)');
    expect(md).toContain('](seeds.png)');
    expect(md.indexOf('## Study — Multi-seed study')).toBeLessThan(md.indexOf('## Provenance'));
    expect(md).toContain('- [I — One](#q-i)\n- [Study — Multi-seed study](#q-study)');
  });

  it('refuses text that is not a report', () => {
    expect(() => extendHtmlReport('<p>hi</p>', [study])).toThrow(/extendHtmlReport: not a report/);
  });
});
