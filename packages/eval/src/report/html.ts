import { anchorId, escapeHtml, formatCell, isoTime } from './format.js';
import { inlineSvg } from './svg.js';
import type { ReportInput, ReportSection, ReportTable } from './types.js';
import { validateReport } from './types.js';

const CSS = `
:root{--ink:#2d3436;--muted:#636e72;--line:#e3e6e8;--accent:#3e7cb1;--bg:#fbfbfa;--card:#fff}
*{box-sizing:border-box}
html{font-size:16px}
body{margin:0;background:var(--bg);color:var(--ink);font-family:Inter,"Segoe UI","Helvetica Neue",Arial,"DejaVu Sans",sans-serif;line-height:1.55;-webkit-font-smoothing:antialiased}
.wrap{max-width:1080px;margin:0 auto;padding:2.5rem 1.25rem 4rem}
header h1{font-size:2rem;line-height:1.2;margin:0 0 .35rem;letter-spacing:-.01em}
header .subtitle{font-size:1.1rem;color:var(--muted);margin:0 0 .5rem}
header .meta{font-size:.85rem;color:var(--muted)}
nav.toc{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.25rem;margin:1.75rem 0 2.25rem}
nav.toc h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.08em;color:var(--muted);margin:0 0 .5rem}
nav.toc ol{margin:0;padding-left:1.25rem;columns:2 18rem;column-gap:2rem}
nav.toc li{margin:.15rem 0;break-inside:avoid}
nav.toc a{color:var(--ink);text-decoration:none}
nav.toc a:hover{color:var(--accent);text-decoration:underline}
nav.toc .qid{font-variant-numeric:tabular-nums;color:var(--accent);font-weight:600;margin-right:.35rem}
section.q{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.5rem 1.5rem 1.25rem;margin:0 0 1.75rem}
section.q h2{font-size:1.35rem;margin:0 0 .6rem;line-height:1.3}
section.q h2 .qid{display:inline-block;background:var(--accent);color:#fff;border-radius:6px;padding:.05rem .5rem;margin-right:.5rem;font-size:1rem;vertical-align:.12rem}
.question{color:var(--muted);border-left:3px solid var(--line);margin:0 0 1.25rem;padding:.1rem 0 .1rem .9rem;white-space:pre-line}
figure{margin:1.25rem 0 1.5rem;text-align:center}
figure svg,figure img{display:block;margin:0 auto;max-width:100%;height:auto}
figcaption{font-size:.9rem;color:var(--muted);margin-top:.5rem;text-align:left}
figcaption b{color:var(--ink)}
.table-wrap{overflow-x:auto;margin:1rem 0 1.25rem}
table{border-collapse:collapse;font-size:.92rem;min-width:50%}
caption{caption-side:top;text-align:left;font-size:.9rem;color:var(--muted);padding-bottom:.4rem}
th,td{padding:.4rem .75rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-weight:600;border-bottom:2px solid #cfd4d8;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tbody tr:hover{background:#f5f7f8}
ul.notes{margin:.75rem 0 0;padding-left:1.25rem;color:var(--ink)}
ul.notes li{margin:.2rem 0}
footer{margin-top:2.5rem;font-size:.85rem;color:var(--muted)}
footer table{font-size:.85rem}
footer td:first-child{font-weight:600;color:var(--ink);white-space:nowrap}
footer td{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;word-break:break-all}
a{color:var(--accent)}
@media (max-width:640px){.wrap{padding:1.25rem .75rem 3rem}section.q{padding:1rem}header h1{font-size:1.5rem}}
@media print{body{background:#fff}section.q{border:none;padding:0;break-inside:avoid-page}nav.toc{display:none}}
`;

function tableHtml(t: ReportTable): string {
  const numeric = t.columns.map((_, j) => t.rows.length > 0 && t.rows.every((r) => typeof r[j] === 'number' || r[j] === null));
  const head = t.columns.map((c, j) => `<th scope="col"${numeric[j] ? ' class="num"' : ''}>${escapeHtml(c)}</th>`).join('');
  const body = t.rows
    .map((r) => `<tr>${r.map((c, j) => `<td${numeric[j] ? ' class="num"' : ''}>${escapeHtml(formatCell(c))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table><caption>${escapeHtml(t.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function sectionHtml(s: ReportSection, figureNo: { n: number }): string {
  const id = anchorId(s.id);
  const parts: string[] = [];
  parts.push(`<section class="q" id="${escapeHtml(id)}">`);
  parts.push(`<h2><span class="qid">${escapeHtml(s.id)}</span>${escapeHtml(s.title ?? '')}</h2>`);
  if (s.question) parts.push(`<p class="question">${escapeHtml(s.question)}</p>`);
  (s.figures ?? []).forEach((f, k) => {
    figureNo.n += 1;
    const body = f.svg
      ? inlineSvg(f.svg, `${id}-f${k}`)
      : `<img src="${escapeHtml(f.path ?? '')}" alt="${escapeHtml(f.alt ?? f.caption)}" loading="lazy">`;
    const label = f.svg ? body.replace('<svg', `<svg aria-label="${escapeHtml(f.alt ?? f.caption)}"`) : body;
    parts.push(`<figure>${label}<figcaption><b>Figure ${figureNo.n}.</b> ${escapeHtml(f.caption)}</figcaption></figure>`);
  });
  for (const t of s.tables ?? []) parts.push(tableHtml(t));
  if (s.notes?.length) parts.push(`<ul class="notes">${s.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  parts.push('</section>');
  return parts.join('\n');
}

/** One self-contained HTML page: inline CSS and SVG figures, no scripts, no external assets. */
export function buildHtmlReport(input: ReportInput): string {
  const r = validateReport(input, 'buildHtmlReport');
  const generated = isoTime(r.generatedAt);
  const toc = r.sections
    .map(
      (s) =>
        `<li><a href="#${escapeHtml(anchorId(s.id))}"><span class="qid">${escapeHtml(s.id)}</span>${escapeHtml(s.title ?? firstLine(s.question))}</a></li>`,
    )
    .join('\n');
  const figureNo = { n: 0 };
  const sections = r.sections.map((s) => sectionHtml(s, figureNo)).join('\n');
  const prov = Object.entries(r.provenance)
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@rdl/eval">
<title>${escapeHtml(r.title)}</title>
<style>${CSS}</style>
</head>
<body>
<div class="wrap">
<header>
<h1>${escapeHtml(r.title)}</h1>
${r.subtitle ? `<p class="subtitle">${escapeHtml(r.subtitle)}</p>` : ''}
${(r.links ?? []).map((l) => `<p class="meta"><a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a></p>`).join('\n')}
<p class="meta">Generated <time datetime="${escapeHtml(generated)}">${escapeHtml(generated)}</time></p>
</header>
<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>
${toc}
</ol></nav>
<main>
${sections}
</main>
<footer>
<h2>Provenance</h2>
<div class="table-wrap"><table><tbody>
${prov}
</tbody></table></div>
</footer>
</div>
</body>
</html>
`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0].trim();
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}
