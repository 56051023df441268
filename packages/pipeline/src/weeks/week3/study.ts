import { defineStudy } from '../../core/study.js';
import { week3 } from './pipeline.js';
import { week3StudyAggregate } from './study-aggregate.js';
import { week3StudyReport } from './study-report.js';

/** `pipeline:week3-study`: week 3's failure and OOD results over the seeds of configs/week3.json `study.seeds`. */
export const week3Study = defineStudy({
  pipeline: week3,
  description: 'Week 3 multi-seed study: failure prediction and OOD detection, mean ± sd and paired differences over seeds.',
  stages: [week3StudyAggregate, week3StudyReport],
});
