import { studyReportStage } from '../shared/study-report.js';
import { report } from './report.js';
import { week3StudyAggregate } from './study-aggregate.js';
import { WEEK3_FIGURE_METRICS, week3Format, week3Notes, week3Unit } from './study-metrics.js';

/** Week 3's report with its "Multi-seed study" section. */
export const week3StudyReport = studyReportStage({
  module: import.meta.url,
  pipeline: 'week3',
  aggregate: week3StudyAggregate,
  weekReport: report,
  format: week3Format,
  unit: week3Unit,
  notes: week3Notes,
  figureMetrics: WEEK3_FIGURE_METRICS,
  question:
    'Over several seeds (data split, LeNet, ConfidNet, ODIN tuning all reseeded), does ConfidNet rank errors above MCP (AUPR-Error, the authors’ claim), and does ODIN detect OOD images better than MCP?',
});
