import { DataType, tableFromArrays, type Table } from 'apache-arrow';
import { withDatasetDescription, type DatasetDescription } from '../arrow/metadata.js';
import { columnNames } from './regression-table.js';

/** A 2-D classification set: `x` is n×2 row-major (x0, x1 per point), `y` the class labels. */
export interface ClassificationData {
  x: Float32Array;
  y: Uint8Array;
  n: number;
}

/** Arrow table with columns `x0`, `x1` (Float32) and `label` (Uint8), description in the metadata. */
export function classificationTable(data: ClassificationData, description: DatasetDescription): Table {
  const { n } = data;
  if (data.x.length !== 2 * n) throw new Error(`classificationTable: x must hold n×2 = ${2 * n} values, got ${data.x.length}`);
  if (data.y.length !== n) throw new Error(`classificationTable: y must hold n = ${n} labels, got ${data.y.length}`);
  const x0 = new Float32Array(n);
  const x1 = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x0[i] = data.x[2 * i];
    x1[i] = data.x[2 * i + 1];
  }
  return withDatasetDescription(tableFromArrays({ x0, x1, label: Uint8Array.from(data.y) }), description);
}

/** Reads a table written by `classificationTable` back, checking columns, types and nulls. */
export function classificationFromTable(table: Table): ClassificationData {
  const n = table.numRows;
  const x0 = column(table, 'x0', DataType.isFloat, 'floating point');
  const x1 = column(table, 'x1', DataType.isFloat, 'floating point');
  const label = column(table, 'label', DataType.isInt, 'an integer type');
  const x = new Float32Array(2 * n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = x0[i];
    x[2 * i + 1] = x1[i];
    const l = label[i];
    if (!Number.isInteger(l) || l < 0 || l > 255)
      throw new Error(`classification table column 'label' row ${i}: ${l} is not a class index in 0..255`);
    y[i] = l;
  }
  return { x, y, n };
}

function column(table: Table, name: string, isType: (t: DataType) => boolean, expected: string): ArrayLike<number> {
  const c = table.getChild(name);
  if (c === null) throw new Error(`classification table has no '${name}' column (columns: ${columnNames(table)})`);
  if (!isType(c.type as DataType)) throw new Error(`classification table column '${name}' must be ${expected}, got ${String(c.type)}`);
  if (c.nullCount > 0) throw new Error(`classification table column '${name}' has ${c.nullCount} null values`);
  // 64-bit integer columns come back as BigInt64Array; Number() keeps the check above meaningful.
  return Array.from(c.toArray() as ArrayLike<number | bigint>, Number);
}
