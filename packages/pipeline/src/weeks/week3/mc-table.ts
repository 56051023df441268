import { makeScore, mcDropoutHeadline, type McDropoutSummary, type McDropoutTask, type Score } from '@rdl/uncertainty';
import type { Table } from 'apache-arrow';
import { float32Column } from '../shared/columns.js';
import { intColumn, intMatrixColumn, matrixColumn } from './tables.js';

/** The MC-dropout summary predict stored, read back as the uncertainty package's type. */
export function mcSummaryFromTable(table: Table, what: string): McDropoutSummary {
  const meanProbs = matrixColumn(table, 'mcMeanProbs', what).values;
  const votes = intMatrixColumn(table, 'votes', what).values;
  // Every image's votes add up to T.
  let passes = 0;
  for (let c = 0; c < 10; c++) passes += votes[c] ?? 0;
  return {
    count: table.numRows,
    passes,
    numClasses: 10,
    meanProbs,
    predicted: intColumn(table, 'mcPredicted', what),
    votes,
    scores: {
      confidence: makeScore('mc-dropout-confidence', float32Column(table, 'mcConfidence', what), 'higher-is-more-confident'),
      variationRatio: makeScore('mc-dropout-variation-ratio', float32Column(table, 'variationRatio', what), 'higher-is-more-uncertain'),
      entropy: makeScore('mc-dropout-entropy', float32Column(table, 'entropy', what), 'higher-is-more-uncertain'),
      mutualInformation: makeScore('mc-dropout-mutual-information', float32Column(table, 'mutualInformation', what), 'higher-is-more-uncertain'),
      expectedEntropy: makeScore('mc-dropout-expected-entropy', float32Column(table, 'expectedEntropy', what), 'higher-is-more-uncertain'),
    },
  };
}

/** The MC-dropout score the comparison uses for a task (the package's headline choice). */
export function mcHeadlineFromTable(table: Table, task: McDropoutTask, what: string): Score {
  return mcDropoutHeadline(mcSummaryFromTable(table, what), task);
}
