import { studyReportStage } from '../shared/study-report.js';
import { report } from './report.js';
import { week2StudyAggregate } from './study-aggregate.js';
import { WEEK2_FIGURE_METRICS, week2Format, week2Unit } from './study-metrics.js';

/** Week 2's report with its "Multi-seed study" section. */
export const week2StudyReport = studyReportStage({
  module: import.meta.url,
  pipeline: 'week2',
  aggregate: week2StudyAggregate,
  weekReport: report,
  format: week2Format,
  unit: week2Unit,
  figureMetrics: WEEK2_FIGURE_METRICS,
  question:
    'Over several seeds (data sets, initialisations and samples reseeded), is each Bayesian method more uncertain far from the data than its point-estimate baseline (far entropy), and is its epistemic part (MI) larger far than near?',
});
