import { z } from 'zod';

export type ReportCell = string | number | boolean | null;

export interface ReportFigure {
  caption: string;
  /** Inline SVG (HTML report). */
  svg?: string;
  /** Path of the image relative to the report file (Markdown summary; HTML fallback when no svg). */
  path?: string;
  /** Alternative text; defaults to the caption. */
  alt?: string;
}

export interface ReportTable {
  caption: string;
  columns: string[];
  rows: ReportCell[][];
}

export interface ReportSection {
  /** Question id from the course, e.g. "1.4", "bonus", "II". */
  id: string;
  /** Short heading; the question text follows it. */
  title?: string;
  question: string;
  figures?: ReportFigure[];
  tables?: ReportTable[];
  notes?: string[];
}

/** A link shown under the title, e.g. to the interactive page of the same week. */
export interface ReportLink {
  text: string;
  /** Relative to the report file, or absolute. */
  href: string;
}

export interface ReportInput {
  title: string;
  subtitle?: string;
  links?: ReportLink[];
  /** ISO timestamp (or Date) of generation. */
  generatedAt: string | Date;
  sections: ReportSection[];
  /** Where the numbers come from: commit, config hashes, seeds, data checksums... */
  provenance: Record<string, string>;
}

// NaN and ±∞ are legitimate results (printed as — and ∞), so any number is accepted.
const cell = z.union([z.string(), z.custom<number>((v) => typeof v === 'number', 'must be a number'), z.boolean(), z.null()]);

export const reportInputSchema = z.object({
  title: z.string().min(1),
  subtitle: z.string().optional(),
  links: z.array(z.object({ text: z.string().min(1), href: z.string().min(1) })).optional(),
  generatedAt: z.union([z.string().min(1), z.date()]),
  sections: z.array(
    z.object({
      id: z.string().min(1),
      title: z.string().optional(),
      question: z.string(),
      figures: z
        .array(
          z
            .object({ caption: z.string(), svg: z.string().optional(), path: z.string().optional(), alt: z.string().optional() })
            .refine((f) => f.svg !== undefined || f.path !== undefined, 'a figure needs svg or path'),
        )
        .optional(),
      tables: z
        .array(
          z
            .object({ caption: z.string(), columns: z.array(z.string()).min(1), rows: z.array(z.array(cell)) })
            .refine((t) => t.rows.every((r) => r.length === t.columns.length), 'every row must have one cell per column'),
        )
        .optional(),
      notes: z.array(z.string()).optional(),
    }),
  ),
  provenance: z.record(z.string(), z.string()),
});

export function validateReport(input: ReportInput, fn: string): ReportInput {
  const r = reportInputSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${fn}: ${issue.path.join('.') || '(input)'}: ${issue.message}`);
  }
  const seen = new Set<string>();
  for (const s of input.sections) {
    if (seen.has(s.id)) throw new Error(`${fn}: sections: duplicate id "${s.id}"`);
    seen.add(s.id);
  }
  return input;
}
