import { buildHtmlReport } from './html.js';
import { buildMarkdownSummary } from './markdown.js';
import type { ReportSection } from './types.js';

const between = (text: string, start: string, end: string, what: string): string => {
  const i = text.indexOf(start);
  const j = text.lastIndexOf(end);
  if (i < 0 || j < i) throw new Error(`${what}: not a report built by @rdl/eval (no '${start.trim()}' … '${end.trim()}')`);
  return text.slice(i + start.length, j);
};

const insertBefore = (text: string, marker: string, insert: string, what: string): string => {
  const j = text.lastIndexOf(marker);
  if (j < 0) throw new Error(`${what}: not a report built by @rdl/eval (no '${marker.trim()}')`);
  return text.slice(0, j) + insert + text.slice(j);
};

/**
 * Adds sections to an HTML report built by buildHtmlReport (e.g. a study's section to its week's
 * page): each goes at the end of the page and of its contents, figures numbered on from the page's.
 */
export function extendHtmlReport(html: string, sections: ReportSection[]): string {
  const what = 'extendHtmlReport';
  const part = buildHtmlReport({ title: 'part', generatedAt: new Date(0), provenance: {}, sections });
  const toc = between(part, '<ol>\n', '\n</ol></nav>', what);
  let body = between(part, '<main>\n', '\n</main>', what);
  const figures = (html.match(/<figcaption><b>Figure \d+\.<\/b>/g) ?? []).length;
  body = body.replace(/<figcaption><b>Figure (\d+)\.<\/b>/g, (_m, n: string) => `<figcaption><b>Figure ${figures + Number(n)}.</b>`);
  return insertBefore(insertBefore(html, '\n</ol></nav>', `\n${toc}`, what), '\n</main>', `\n${body}`, what);
}

/**
 * Adds sections to a Markdown summary built by buildMarkdownSummary, before its provenance.
 * `relink` rewrites the summary's own relative figure paths (the extended file lives elsewhere).
 */
export function extendMarkdownSummary(markdown: string, sections: ReportSection[], relink: (path: string) => string = (p) => p): string {
  const what = 'extendMarkdownSummary';
  const part = buildMarkdownSummary({ title: 'part', generatedAt: new Date(0), provenance: {}, sections });
  const toc = between(part, '## Contents\n\n', '\n\n<a id=', what);
  const body = part.slice(part.indexOf('<a id='));
  const relinked = markdown.replace(/\]\(([^)\s]+)\)/g, (_m, path: string) =>
    /^[a-z]+:|^#/.test(path) ? `](${path})` : `](${relink(path)})`,
  );
  const lines = relinked.split('\n');
  const contents = lines.indexOf('## Contents');
  if (contents < 0) throw new Error(`${what}: not a summary built by @rdl/eval (no '## Contents')`);
  let end = contents + 2;
  while (end < lines.length && lines[end]!.startsWith('- [')) end++;
  lines.splice(end, 0, toc);
  const withToc = lines.join('\n');
  const provenance = withToc.lastIndexOf('\n## Provenance');
  return provenance < 0
    ? `${withToc.trimEnd()}\n\n${body}`
    : `${withToc.slice(0, provenance + 1)}${body.trimEnd()}\n${withToc.slice(provenance)}`;
}
