import type { ReportCell } from './types.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Escape Markdown inline syntax so user text renders literally. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&(?=#?[a-zA-Z0-9]+;)/g, '&amp;')
    .replace(/([\\`*_{}[\]()#+!|<>~])/g, '\\$1')
    .replace(/^(\s*)([-=]|\d+\.)(\s)/gm, '$1\\$2$3');
}

/**
 * Numbers for humans: integers as they are (with thin grouping from 10 000), others with four
 * significant digits, exponent form for very small or large magnitudes, "—" for NaN.
 */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) {
    const s = Math.abs(v).toString();
    const grouped = Math.abs(v) >= 1e4 ? s.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f') : s;
    return v < 0 ? `−${grouped}` : grouped;
  }
  const a = Math.abs(v);
  // Four significant digits, but never round away integer digits (123456.7 → 123456.7, not 123500).
  const s = a >= 1e6 || a < 1e-3 ? v.toExponential(2) : a >= 1e3 ? Number(v.toFixed(1)).toString() : Number(v.toPrecision(4)).toString();
  return s.replace(/^-/, '−');
}

export function formatCell(c: ReportCell): string {
  if (c === null) return '—';
  if (typeof c === 'number') return formatNumber(c);
  if (typeof c === 'boolean') return c ? 'yes' : 'no';
  return c;
}

/** Anchor id for a section id ("1.4" → "q-1-4"). */
export function anchorId(id: string): string {
  return `q-${
    id
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'section'
  }`;
}

export function isoTime(t: string | Date): string {
  return typeof t === 'string' ? t : t.toISOString();
}
