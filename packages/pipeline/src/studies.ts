import { defineStudy, type Study } from './core/study.js';
import { week2 } from './weeks/week2/pipeline.js';
import { week2StudyAggregate } from './weeks/week2/study-aggregate.js';
import { week2StudyReport } from './weeks/week2/study-report.js';
import { week3 } from './weeks/week3/pipeline.js';
import { week3StudyAggregate } from './weeks/week3/study-aggregate.js';
import { week3StudyReport } from './weeks/week3/study-report.js';

// Every study is defined here, next to its registry: this file is runner code (every stage run
// goes through it), and the stage modules it names are not.

/** `pipeline:week2-study`: week 2's near/far claims over the seeds of configs/week2.json `study.seeds`. */
export const week2Study = defineStudy({
  pipeline: week2,
  description:
    'Week 2 multi-seed study: far entropy against each baseline and far vs near MI, mean ± sd and paired differences over seeds.',
  stages: [week2StudyAggregate, week2StudyReport],
});

/** `pipeline:week3-study`: week 3's failure and OOD results over the seeds of configs/week3.json `study.seeds`. */
export const week3Study = defineStudy({
  pipeline: week3,
  description: 'Week 3 multi-seed study: failure prediction and OOD detection, mean ± sd and paired differences over seeds.',
  stages: [week3StudyAggregate, week3StudyReport],
});

/** Every multi-seed study (`<week>-study`); the Nx targets of each are generated from its week's config. */
export const allStudies: readonly Study[] = [week2Study, week3Study];

export function findStudy(name: string): Study | undefined {
  return allStudies.find((s) => s.name === name);
}
