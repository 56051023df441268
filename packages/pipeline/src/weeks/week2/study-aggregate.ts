import { studyAggregateStage } from '../shared/study-aggregate.js';
import { evaluate } from './evaluate.js';
import { week2Pairs, week2SeedValues } from './study-metrics.js';

/** Week-2 study aggregate: every seed's near/far numbers, mean ± sd, and each claim as a paired difference. */
export const week2StudyAggregate = studyAggregateStage({
  module: import.meta.url,
  description:
    'Week 2 study: per method and dataset near/far entropy and MI, mean ± sample sd over the seeds; Bayesian − baseline far entropy and far − near MI paired per seed',
  perSeed: { evaluate },
  extract: week2SeedValues,
  pairs: week2Pairs,
});
