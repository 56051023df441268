import { restoreMcDropoutSummary, type McDropoutScores, type McDropoutSummary } from '@rdl/uncertainty/pure';
import type { Table } from 'apache-arrow';
import { float32Column } from '../shared/columns.js';
import { intColumn, intMatrixColumn, matrixColumn, type MatrixColumn, type ScalarValues } from './tables.js';

/** The column each MC-dropout statistic is stored in (names only: values, names and directions come from @rdl/uncertainty). */
const MC_COLUMNS: Readonly<Record<keyof McDropoutScores, string>> = {
  confidence: 'mcConfidence',
  variationRatio: 'variationRatio',
  entropy: 'entropy',
  mutualInformation: 'mutualInformation',
  expectedEntropy: 'expectedEntropy',
};
const keys = Object.keys(MC_COLUMNS) as (keyof McDropoutScores)[];

/** The columns predict writes for an MC-dropout summary. */
export function mcColumns(mc: McDropoutSummary): { scalars: Record<string, ScalarValues>; matrices: Record<string, MatrixColumn> } {
  const scalars: Record<string, ScalarValues> = { mcPredicted: mc.predicted };
  for (const key of keys) scalars[MC_COLUMNS[key]] = mc.scores[key].values;
  return {
    scalars,
    matrices: { mcMeanProbs: { values: mc.meanProbs, width: mc.numClasses }, votes: { values: mc.votes, width: mc.numClasses } },
  };
}

/** The MC-dropout summary predict stored, read back as the uncertainty package's type. */
export function mcSummaryFromTable(table: Table, what: string): McDropoutSummary {
  const meanProbs = matrixColumn(table, 'mcMeanProbs', what);
  const values = Object.fromEntries(keys.map((key) => [key, float32Column(table, MC_COLUMNS[key], what)])) as Record<
    keyof McDropoutScores,
    Float32Array
  >;
  return restoreMcDropoutSummary({
    numClasses: meanProbs.width,
    meanProbs: meanProbs.values,
    votes: intMatrixColumn(table, 'votes', what).values,
    predicted: intColumn(table, 'mcPredicted', what),
    values,
  });
}
