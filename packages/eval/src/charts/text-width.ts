/**
 * Text width estimate for layout without a canvas.
 *
 * Vega measures text with node-canvas when it is installed; otherwise it guesses 0.8 em per
 * character, which is ~40% too wide for sans-serif fonts and leaves big gaps around legends
 * and axis titles. These per-character advances (em units, DejaVu Sans / Arial-like metrics)
 * keep layout close to what resvg and browsers draw.
 */
const NARROW = new Set([..."iljI.,:;!|'`ft()[]{} "]);
const SEMI = new Set([...'rJ-"/\\*']);
const WIDE = new Set([...'mwMW@%']);

/** Wider than a letter: a guess of 0.66 em clipped legends ending in "‰" (DejaVu Sans: 1.48 em). */
const EXTRA_WIDE: Record<string, number> = { '—': 1.0, '‰': 1.48, '…': 1.0 };

function charAdvance(ch: string): number {
  const extra = EXTRA_WIDE[ch];
  if (extra !== undefined) return extra;
  if (NARROW.has(ch)) return 0.32;
  if (SEMI.has(ch)) return 0.42;
  if (WIDE.has(ch)) return 0.88;
  if (ch >= '0' && ch <= '9') return 0.62;
  if (ch >= 'A' && ch <= 'Z') return 0.7;
  if (ch >= 'a' && ch <= 'z') return 0.58;
  if (/[\u2080-\u2089\u00b2\u00b3\u00b9\u2070-\u2079]/.test(ch)) return 0.4; // sub/superscripts
  return 0.66;
}

export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += charAdvance(ch);
  return em * fontSize * (bold ? 1.08 : 1);
}

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

interface TextMetrics {
  width: (item: TextItem, text?: unknown) => number;
  measureWidth: (item: TextItem, text?: unknown) => number;
}

let installed = false;

/** Replace vega's 0.8-em guess by the estimate above, once, when no canvas measurer is active. */
export function installTextWidthEstimate(metrics: TextMetrics | undefined): void {
  if (installed || !metrics || metrics.width === metrics.measureWidth) return;
  installed = true;
  metrics.width = (item: TextItem, text?: unknown): number => {
    const value = text ?? item.text;
    const str = Array.isArray(value)
      ? value.map(String).reduce((a, b) => (a.length > b.length ? a : b), '')
      : value == null
        ? ''
        : String(value);
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const w = item.fontWeight;
    const bold = w === 'bold' || (typeof w === 'number' && w >= 600) || (typeof w === 'string' && Number(w) >= 600);
    return estimateTextWidth(str, size, bold);
  };
}
