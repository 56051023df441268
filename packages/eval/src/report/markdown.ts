import { anchorId, escapeMarkdown, formatCell, isoTime } from './format.js';
import type { ReportInput, ReportTable } from './types.js';
import { validateReport } from './types.js';

function cellMd(text: string): string {
  return escapeMarkdown(text).replace(/\r?\n/g, '<br>');
}

function tableMd(t: ReportTable): string {
  const numeric = t.columns.map((_, j) => t.rows.length > 0 && t.rows.every((r) => typeof r[j] === 'number' || r[j] === null));
  const head = `| ${t.columns.map(cellMd).join(' | ')} |`;
  const sep = `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`;
  const rows = t.rows.map((r) => `| ${r.map((c) => cellMd(formatCell(c))).join(' | ')} |`);
  return [`*${escapeMarkdown(t.caption)}*`, '', head, sep, ...rows].join('\n');
}

/** Link destination: spaces and parentheses percent-encoded so any Markdown renderer keeps it. */
function linkPath(p: string): string {
  return p.replace(/\\/g, '/').replace(/ /g, '%20').replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/** Markdown summary: headings per question, tables, figures by relative path, provenance. */
export function buildMarkdownSummary(input: ReportInput): string {
  const r = validateReport(input, 'buildMarkdownSummary');
  const out: string[] = [`# ${escapeMarkdown(r.title)}`, ''];
  if (r.subtitle) out.push(escapeMarkdown(r.subtitle), '');
  for (const l of r.links ?? []) out.push(`[${escapeMarkdown(l.text)}](${l.href})`, '');
  out.push(`Generated ${escapeMarkdown(isoTime(r.generatedAt))}`, '');
  out.push('## Contents', '');
  for (const s of r.sections) out.push(`- [${escapeMarkdown(s.id)}${s.title ? ` — ${escapeMarkdown(s.title)}` : ''}](#${anchorId(s.id)})`);
  out.push('');
  for (const s of r.sections) {
    out.push(`<a id="${anchorId(s.id)}"></a>`, '', `## ${escapeMarkdown(s.id)}${s.title ? ` — ${escapeMarkdown(s.title)}` : ''}`, '');
    if (s.question) out.push(...s.question.split('\n').map((l) => `> ${escapeMarkdown(l)}`), '');
    for (const f of s.figures ?? []) {
      if (f.path) out.push(`![${escapeMarkdown(f.alt ?? f.caption)}](${linkPath(f.path)})`, '', `*${escapeMarkdown(f.caption)}*`, '');
      else out.push(`*Figure (inline in the HTML report): ${escapeMarkdown(f.caption)}*`, '');
    }
    for (const t of s.tables ?? []) out.push(tableMd(t), '');
    for (const n of s.notes ?? []) out.push(`- ${escapeMarkdown(n)}`);
    if (s.notes?.length) out.push('');
  }
  const prov = Object.entries(r.provenance);
  if (prov.length) {
    out.push('## Provenance', '', '| key | value |', '| --- | --- |', ...prov.map(([k, v]) => `| ${cellMd(k)} | ${cellMd(v)} |`), '');
  }
  return out.join('\n');
}
