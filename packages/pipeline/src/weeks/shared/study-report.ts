import { extendHtmlReport, extendMarkdownSummary, seedDotsChart, type ReportCell, type ReportSection } from '@rdl/eval';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import type { Stage } from '../../core/stage.js';
import { defineStudyStage } from '../../core/study.js';
import { reportOutputs } from './report.js';
import { figure } from './render.js';
import type { StudySummary } from './study-aggregate.js';

type ReportStage = Stage<'report', unknown, typeof reportOutputs>;
type AggregateStage = Stage<'aggregate', unknown, { summary: ReturnType<typeof artifact.json<StudySummary>> }>;

export interface StudyReportOptions {
  module: string;
  /** The week, e.g. `week3`. */
  pipeline: string;
  aggregate: AggregateStage;
  weekReport: ReportStage;
  /** How a metric's values are printed: fractions as percentages (week 3) or as they are (week 2). */
  format: (metric: string, value: number) => number;
  unit: (metric: string) => string;
  /** Quantities shown in the figure (the table shows all). */
  figureMetrics: string[];
  question: string;
  notes?: (summary: StudySummary) => string[];
}

/** "a ± b" with the metric's formatting; "a (1 seed)" without an sd. */
function meanSd(format: (v: number) => number, mean: number, sd: number | null): string {
  return sd === null ? `${format(mean)} (1 seed)` : `${format(mean)} ± ${format(sd)}`;
}

/** The "Multi-seed study" section: table of mean ± sd, the claims as paired differences, per-seed values, the figure. */
export function studySection(
  summary: StudySummary,
  options: Pick<StudyReportOptions, 'format' | 'unit' | 'question' | 'notes'>,
  figures: ReportSection['figures'],
): ReportSection {
  const seedsText = summary.seeds.map((s) => (s === summary.weekSeed ? `${s} (the week's own run)` : String(s))).join(', ');
  const perSeed = (values: { seed: number; value: number }[], f: (v: number) => number): string =>
    values.map((v) => `${v.seed}: ${f(v.value)}`).join('; ');
  const summaryRows: ReportCell[][] = summary.summaries.map((s) => {
    const f = (v: number) => options.format(s.metric, v);
    return [
      s.method,
      `${s.metric}${options.unit(s.metric)}`,
      f(s.mean),
      s.sd === null ? null : f(s.sd),
      f(s.min),
      f(s.max),
      perSeed(s.values, f),
    ];
  });
  const claimRows: ReportCell[][] = summary.differences.map((d) => {
    const f = (v: number) => options.format(d.a.metric, v);
    const sign = d.better === 'higher' ? '>' : '<';
    const claim =
      d.a.metric === d.b.metric
        ? `${d.a.method} ${sign} ${d.b.method} on ${d.a.metric}`
        : `${d.a.method}: ${d.a.metric} ${sign} ${d.b.metric}`;
    const verdict = d.seedsSupporting === d.n ? 'holds in every seed' : d.seedsSupporting === 0 ? 'fails in every seed' : 'mixed';
    return [
      claim,
      `${d.a.metric === d.b.metric ? d.a.metric : `${d.a.metric} − ${d.b.metric}`}${options.unit(d.a.metric)}`,
      meanSd(f, d.mean, d.sd),
      perSeed(d.values, f),
      `${d.seedsSupporting} / ${d.n}`,
      verdict,
    ];
  });
  return {
    id: 'Study',
    title: 'Multi-seed study',
    question: options.question,
    figures,
    tables: [
      {
        caption: `Mean ± sample sd (n − 1) over ${summary.seeds.length} seed${summary.seeds.length === 1 ? '' : 's'}, with the value of each seed`,
        columns: ['method', 'metric', 'mean', 'sd', 'min', 'max', 'per seed (seed: value)'],
        rows: summaryRows,
      },
      {
        caption:
          'Claims judged on paired differences (a − b within each seed): mean ± sd of the difference, and the seeds where it has the claimed sign',
        columns: ['claim', 'difference', 'mean ± sd', 'per seed (seed: a − b)', 'seeds supporting', 'verdict'],
        rows: claimRows,
      },
    ],
    notes: [
      `Seeds ${seedsText}; each seed reruns every stage the numbers depend on (data split, training, scoring) with that seed, and nothing else changes. The protocol is the week's config, fixed before the study: nothing is chosen on test data here.`,
      "A paired difference compares two numbers of the same seed's run (same data, same trained networks), so the variation between seeds that both share cancels; its sd is the sd of the per-seed differences.",
      ...(options.notes?.(summary) ?? []),
    ],
  };
}

/**
 * The study's report: the week's own report (read from its report stage) with the "Multi-seed
 * study" section added, the study's figure, and results.json with the summary under `study`.
 */
export function studyReportStage(options: StudyReportOptions) {
  return defineStudyStage({
    name: 'report',
    description: `${options.pipeline} study report: the week's report plus a "Multi-seed study" section (mean ± sd, paired differences, each seed)`,
    module: options.module,
    config: z.object({}),
    needs: { aggregate: options.aggregate, weekReport: options.weekReport },
    perSeed: {},
    outputs: { ...reportOutputs, seeds: artifact.figure() },
    async run({ inputs }) {
      const summary = inputs.aggregate.summary;
      const week = inputs.weekReport;
      const series = [
        ...summary.summaries
          .filter((s) => options.figureMetrics.includes(s.metric))
          .map((s) => ({
            // The panel title carries the unit, as the table's metric column does.
            metric: `${s.metric}${options.unit(s.metric)}`,
            method: s.method,
            values: s.values.map((v) => ({ seed: v.seed, value: options.format(s.metric, v.value) })),
            mean: options.format(s.metric, s.mean),
            sd: s.sd === null ? null : options.format(s.metric, s.sd),
          })),
        ...summary.differences
          .filter((d) => options.figureMetrics.includes(d.a.metric) && d.a.metric === d.b.metric)
          .map((d) => ({
            metric: `Δ ${d.a.metric}${options.unit(d.a.metric)}`,
            method: `${d.a.method} − ${d.b.method}`,
            values: d.values.map((v) => ({ seed: v.seed, value: options.format(d.a.metric, v.value) })),
            mean: options.format(d.a.metric, d.mean),
            sd: d.sd === null ? null : options.format(d.a.metric, d.sd),
            reference: 0,
          })),
      ];
      const seeds = await figure(
        seedDotsChart({
          title: `${options.pipeline}: ${summary.seeds.length} seeds`,
          subtitle: 'each seed a circle; black tick: mean; bar: ±1 sample sd; Δ panels: paired differences (a − b per seed)',
          series,
        }),
      );
      const caption = 'Each seed a circle, the mean a tick with a ±1 sd bar, per method and metric; Δ panels show the paired differences';
      const html = extendHtmlReport(week.index, [studySection(summary, options, [{ caption, svg: seeds.svg }])]);
      // The summary moves from artifacts/<week>/report/outputs/ to artifacts/<week>-study/report/outputs/.
      const summaryMd = extendMarkdownSummary(week.summary, [studySection(summary, options, [{ caption, path: 'seeds.png' }])], (path) =>
        path.startsWith('../../') ? `../../../${options.pipeline}/${path.slice('../../'.length)}` : path,
      );
      return { index: html, summary: summaryMd, results: { ...week.results, study: summary }, seeds };
    },
  });
}
