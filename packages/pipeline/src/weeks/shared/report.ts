import { buildHtmlReport, buildMarkdownSummary, type ReportLink, type ReportSection } from '@rdl/eval';
import { z } from 'zod';
import { artifact, type Figure } from '../../core/artifacts.js';
import { packageVersions } from '../../core/versions.js';

export const reportOutputs = {
  index: artifact.text('html'),
  summary: artifact.text('md'),
  results: artifact.json(z.record(z.string(), z.unknown())),
};

export interface FigureRef {
  caption: string;
  figure: Figure;
  /** Stage and output name, for the Markdown summary's relative links. */
  stage: string;
  name: string;
}

export interface ReportSectionInput extends Omit<ReportSection, 'figures'> {
  figures?: FigureRef[];
}

/** Builds the HTML page, the Markdown summary and results.json of a pipeline from one description. */
export function buildReport(options: {
  title: string;
  subtitle: string;
  links?: ReportLink[];
  pipeline: string;
  seed: number;
  sections: ReportSectionInput[];
  results: Record<string, unknown>;
  provenance?: Record<string, string>;
}): { index: string; summary: string; results: Record<string, unknown> } {
  const versions = packageVersions();
  const provenance = {
    pipeline: options.pipeline,
    seed: String(options.seed),
    node: versions.node ?? '',
    '@tensorflow/tfjs-core': versions['@tensorflow/tfjs-core'] ?? '',
    numbers: 'computed by the run that wrote this page; every value is also in results.json',
    ...options.provenance,
  };
  const input = (withPaths: boolean) => ({
    title: options.title,
    subtitle: options.subtitle,
    links: options.links,
    generatedAt: new Date().toISOString(),
    provenance,
    sections: options.sections.map((section) => ({
      ...section,
      figures: section.figures?.map((f) =>
        withPaths ? { caption: f.caption, path: `../../${f.stage}/outputs/${f.name}.png` } : { caption: f.caption, svg: f.figure.svg },
      ),
    })),
  });
  return { index: buildHtmlReport(input(false)), summary: buildMarkdownSummary(input(true)), results: options.results };
}
