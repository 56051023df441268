import { tableFromArrays, type Table } from 'apache-arrow';

/** Reads a numeric column as Float64Array; a missing column names the table and column. */
export function float64Column(table: Table, name: string, what: string): Float64Array {
  const column = table.getChild(name);
  if (column === null) throw new Error(`${what}: no column '${name}'`);
  return Float64Array.from(column.toArray() as ArrayLike<number>);
}

export function float32Column(table: Table, name: string, what: string): Float32Array {
  const column = table.getChild(name);
  if (column === null) throw new Error(`${what}: no column '${name}'`);
  const values = column.toArray() as ArrayLike<number>;
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

/** A table of equally long numeric columns. */
export function numericTable(columns: Record<string, Float64Array | Float32Array | Uint8Array | Int32Array>): Table {
  const lengths = new Set(Object.values(columns).map((c) => c.length));
  if (lengths.size > 1) throw new Error(`numericTable: columns differ in length (${[...lengths].join(', ')})`);
  return tableFromArrays(columns);
}
