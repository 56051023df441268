import { studyAggregateStage } from '../shared/study-aggregate.js';
import { failure } from './failure.js';
import { ood } from './ood.js';
import { trainConfidNetStage } from './train-confidnet.js';
import { week3Pairs, week3SeedValues } from './study-metrics.js';

/** Week-3 study aggregate: every seed's failure and OOD metrics, mean ± sd and the paired differences. */
export const week3StudyAggregate = studyAggregateStage({
  module: import.meta.url,
  description:
    'Week 3 study: per method and metric mean ± sample sd over the seeds (test metrics, and ConfidNet vs MCP on the validation selection half); ConfidNet − MCP, ODIN − MCP paired per seed',
  perSeed: { failure, ood, trainConfidNet: trainConfidNetStage },
  extract: week3SeedValues,
  pairs: week3Pairs,
});
