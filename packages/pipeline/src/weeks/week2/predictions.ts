import { classificationFromTable } from '@rdl/data';
import type { BinaryPredictiveSummary } from '@rdl/uncertainty';
import { tableFromArrays, type Table } from 'apache-arrow';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { gridPoints, type GridSpec } from './grid.js';
import type { DatasetName } from './datasets.js';

/**
 * One row per (method, data set, point): the predictive mean p(y=1|x), its entropy and the
 * mutual information (epistemic part; 0 for a point estimate), on the grid and on the training points.
 */
export interface PredictionRows {
  method: string;
  dataset: DatasetName;
  part: 'grid' | 'train';
  x: Float32Array;
  p: Float64Array;
  entropy: Float64Array;
  mutualInformation: Float64Array;
}

/** Rows from a method's predictive summary (a point estimate has one sample, so no epistemic part). */
export function rowsFromSummary(
  base: Omit<PredictionRows, 'p' | 'entropy' | 'mutualInformation'>,
  summary: BinaryPredictiveSummary,
): PredictionRows {
  return { ...base, p: summary.mean, entropy: summary.entropy, mutualInformation: summary.mutualInformation };
}

export function predictionsTable(all: PredictionRows[]): Table {
  const n = all.reduce((s, r) => s + r.p.length, 0);
  const method: string[] = [];
  const dataset: string[] = [];
  const part: string[] = [];
  const x0 = new Float32Array(n);
  const x1 = new Float32Array(n);
  const p = new Float64Array(n);
  const entropy = new Float64Array(n);
  const mi = new Float64Array(n);
  let k = 0;
  for (const rows of all) {
    for (let i = 0; i < rows.p.length; i++, k++) {
      method.push(rows.method);
      dataset.push(rows.dataset);
      part.push(rows.part);
      x0[k] = rows.x[2 * i]!;
      x1[k] = rows.x[2 * i + 1]!;
      p[k] = rows.p[i]!;
      entropy[k] = rows.entropy[i]!;
      mi[k] = rows.mutualInformation[i]!;
    }
  }
  return tableFromArrays({ method, dataset, part, x0, x1, p, entropy, mutualInformation: mi });
}

/** Reads back the rows of one method, data set and part. */
export function selectRows(table: Table, method: string, dataset: string, part: 'grid' | 'train'): PredictionRows {
  const m = table.getChild('method')!;
  const d = table.getChild('dataset')!;
  const pa = table.getChild('part')!;
  const idx: number[] = [];
  for (let i = 0; i < table.numRows; i++) if (m.get(i) === method && d.get(i) === dataset && pa.get(i) === part) idx.push(i);
  if (idx.length === 0) throw new Error(`no predictions for ${method} on ${dataset} (${part})`);
  const pick = (name: string): Float64Array => {
    const col = table.getChild(name)!;
    return Float64Array.from(idx, (i) => Number(col.get(i)));
  };
  const x0 = pick('x0');
  const x1 = pick('x1');
  const x = new Float32Array(idx.length * 2);
  idx.forEach((_, k) => {
    x[2 * k] = x0[k]!;
    x[2 * k + 1] = x1[k]!;
  });
  return {
    method,
    dataset: dataset as DatasetName,
    part,
    x,
    p: pick('p'),
    entropy: pick('entropy'),
    mutualInformation: pick('mutualInformation'),
  };
}

/** The training data of one set and its grid points, ready for a model stage. */
export function stageData(tables: Record<DatasetName, Table>, grids: { blobs: GridSpec; moons: GridSpec }, name: DatasetName) {
  const data = classificationFromTable(tables[name]);
  return { ...data, grid: gridPoints(name === 'blobs' ? grids.blobs : grids.moons) };
}

/** What each model stage computed: no timings (those are run facts, in the stage manifest; see timings.ts). */
export const methodSummarySchema = z.object({
  method: z.string(),
  dataset: z.string(),
  finalLoss: z.number().nullable(),
  notes: z.string().optional(),
});
export type MethodSummary = z.infer<typeof methodSummarySchema>;

/** Outputs every model stage has. */
export const modelOutputs = {
  predictions: artifact.table(),
  summary: artifact.json(z.object({ methods: z.array(methodSummarySchema) })),
};

export const last = (values: ArrayLike<number>): number | null => (values.length ? values[values.length - 1]! : null);
