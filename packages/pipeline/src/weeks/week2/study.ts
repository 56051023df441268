import { defineStudy } from '../../core/study.js';
import { week2 } from './pipeline.js';
import { week2StudyAggregate } from './study-aggregate.js';
import { week2StudyReport } from './study-report.js';

/** `pipeline:week2-study`: week 2's near/far claims over the seeds of configs/week2.json `study.seeds`. */
export const week2Study = defineStudy({
  pipeline: week2,
  description:
    'Week 2 multi-seed study: far entropy against each baseline and far vs near MI, mean ± sd and paired differences over seeds.',
  stages: [week2StudyAggregate, week2StudyReport],
});
