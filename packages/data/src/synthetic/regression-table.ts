import { DataType, tableFromArrays, type Table } from 'apache-arrow';
import { withDatasetDescription, type DatasetDescription } from '../arrow/metadata.js';

/** A 1-D regression set: noisy training pairs and a noise-free test grid (the truth curve). */
export interface RegressionData {
  x: Float64Array;
  y: Float64Array;
  xTest: Float64Array;
  yTest: Float64Array;
}

export type RegressionSplit = 'train' | 'test';

/**
 * One Arrow table with columns `x`, `y` (Float64) and `split` (dictionary-encoded Utf8,
 * 'train' rows first, then 'test'), the dataset description in the schema metadata.
 */
export function regressionTable(data: RegressionData, description: DatasetDescription): Table {
  if (data.x.length !== data.y.length) throw new Error(`regressionTable: x has ${data.x.length} rows but y has ${data.y.length}`);
  if (data.xTest.length !== data.yTest.length) {
    throw new Error(`regressionTable: xTest has ${data.xTest.length} rows but yTest has ${data.yTest.length}`);
  }
  const nTrain = data.x.length;
  const n = nTrain + data.xTest.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  x.set(data.x);
  x.set(data.xTest, nTrain);
  y.set(data.y);
  y.set(data.yTest, nTrain);
  const split: RegressionSplit[] = Array.from({ length: n }, (_, i) => (i < nTrain ? 'train' : 'test'));
  return withDatasetDescription(tableFromArrays({ x, y, split }), description);
}

/** Reads a table written by `regressionTable` back, checking columns, types, nulls and split labels. */
export function regressionFromTable(table: Table): RegressionData {
  const x = floatColumn(table, 'x');
  const y = floatColumn(table, 'y');
  const splitColumn = table.getChild('split');
  if (splitColumn === null) throw new Error(`regression table has no 'split' column (columns: ${columnNames(table)})`);
  const type = splitColumn.type as DataType;
  const isText = DataType.isUtf8(type) || (DataType.isDictionary(type) && DataType.isUtf8(type.dictionary));
  if (!isText) throw new Error(`regression table column 'split' must be Utf8 or a Utf8 dictionary, got ${String(type)}`);
  if (splitColumn.nullCount > 0) throw new Error(`regression table column 'split' has ${splitColumn.nullCount} null values`);

  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const value: unknown = splitColumn.get(i);
    if (value === 'train') train.push(i);
    else if (value === 'test') test.push(i);
    else throw new Error(`regression table column 'split' row ${i}: expected 'train' or 'test', got ${JSON.stringify(value)}`);
  }
  const pick = (column: Float64Array, rows: number[]): Float64Array => Float64Array.from(rows, (r) => column[r]);
  return { x: pick(x, train), y: pick(y, train), xTest: pick(x, test), yTest: pick(y, test) };
}

function floatColumn(table: Table, name: string): Float64Array {
  const column = table.getChild(name);
  if (column === null) throw new Error(`table has no '${name}' column (columns: ${columnNames(table)})`);
  if (!DataType.isFloat(column.type)) throw new Error(`table column '${name}' must be floating point, got ${String(column.type)}`);
  if (column.nullCount > 0) throw new Error(`table column '${name}' has ${column.nullCount} null values`);
  return Float64Array.from(column.toArray() as ArrayLike<number>);
}

/** Column names for error messages. */
export function columnNames(table: Table): string {
  return table.schema.fields.map((f) => f.name).join(', ') || '(none)';
}
