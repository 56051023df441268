import type { Score, ScoreDirection } from '@rdl/core';
import {
  Field,
  FixedSizeList,
  Float32,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Type,
  Uint8,
  type Data,
  type DataType,
} from 'apache-arrow';

/**
 * Week-3 per-image tables: scalar columns (one value per image) and matrix columns (a
 * FixedSizeList per image: class probabilities, votes, 500-d features), in one record batch.
 */
export type MatrixValues = Float32Array | Int32Array;
export type ScalarValues = Float32Array | Int32Array | Uint8Array;

export interface MatrixColumn {
  values: MatrixValues;
  /** Entries per image, e.g. 10 classes or 500 features. */
  width: number;
}

function typeOf(values: ScalarValues): DataType {
  if (values instanceof Float32Array) return new Float32();
  if (values instanceof Int32Array) return new Int32();
  return new Uint8();
}

// A score column keeps the score's name and direction in its field metadata, so a reader gets the
// Score back as its method stated it, never with a direction typed again by hand.
const SCORE_NAME = 'rdl.score.name';
const SCORE_DIRECTION = 'rdl.score.direction';

/**
 * Builds a table from per-image scalars, matrices and scores (one Float32 column each, with its
 * name and direction); every column must describe `count` images.
 */
export function perImageTable(
  count: number,
  scalars: Record<string, ScalarValues>,
  matrices: Record<string, MatrixColumn> = {},
  scores: Record<string, Score<Float32Array>> = {},
): Table {
  const fields: Field[] = [];
  const children: Data[] = [];
  const columns: [string, ScalarValues, Map<string, string> | undefined][] = [
    ...Object.entries(scalars).map(([name, values]) => [name, values, undefined] as [string, ScalarValues, undefined]),
    ...Object.entries(scores).map(
      ([name, score]) =>
        [
          name,
          score.values,
          new Map([
            [SCORE_NAME, score.name],
            [SCORE_DIRECTION, score.direction],
          ]),
        ] as [string, ScalarValues, Map<string, string>],
    ),
  ];
  for (const [name, values, metadata] of columns) {
    if (values.length !== count) throw new Error(`perImageTable: column '${name}' has ${values.length} values for ${count} images`);
    const type = typeOf(values);
    fields.push(new Field(name, type, false, metadata));
    children.push(makeData({ type, data: values, length: count, nullCount: 0 } as never));
  }
  for (const [name, { values, width }] of Object.entries(matrices)) {
    if (values.length !== count * width) {
      throw new Error(`perImageTable: column '${name}' has ${values.length} values, expected ${count}×${width}`);
    }
    const itemType = typeOf(values);
    const type = new FixedSizeList(width, new Field('item', itemType, false));
    const child = makeData({ type: itemType, data: values, length: values.length, nullCount: 0 } as never);
    fields.push(new Field(name, type, false));
    children.push(makeData({ type, length: count, nullCount: 0, child }));
  }
  const schema = new Schema(fields);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: count, nullCount: 0, children }));
  return new Table(schema, [batch]);
}

function joinChunks<T extends MatrixValues | Uint8Array>(chunks: T[], make: (n: number) => T): T {
  if (chunks.length === 1) return chunks[0]!;
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const out = make(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk as never, offset);
    offset += chunk.length;
  }
  return out;
}

/** A FixedSizeList<Float32> column as one flat row-major array (N×width). */
export function matrixColumn(table: Table, name: string, what: string): { values: Float32Array; width: number } {
  const column = table.getChild(name);
  if (column === null) throw new Error(`${what}: no column '${name}'`);
  const type = column.type as FixedSizeList;
  if (type.typeId !== Type.FixedSizeList) throw new Error(`${what}: column '${name}' is not a FixedSizeList`);
  const width = type.listSize;
  const chunks = column.data.map((d) => {
    const values = d.children[0]?.values as MatrixValues | undefined;
    if (!values) throw new Error(`${what}: column '${name}' has no values`);
    const floats = values instanceof Float32Array ? values : Float32Array.from(values);
    return floats.subarray(0, d.length * width);
  });
  return { values: joinChunks(chunks, (n) => new Float32Array(n)), width };
}

/** A FixedSizeList<Int32> column as one flat Int32Array. */
export function intMatrixColumn(table: Table, name: string, what: string): { values: Int32Array; width: number } {
  const column = table.getChild(name);
  if (column === null) throw new Error(`${what}: no column '${name}'`);
  const width = (column.type as FixedSizeList).listSize;
  const chunks = column.data.map((d) => {
    const values = d.children[0]?.values as Int32Array | undefined;
    if (!(values instanceof Int32Array)) throw new Error(`${what}: column '${name}' is not a list of Int32`);
    return values.subarray(0, d.length * width);
  });
  return { values: joinChunks(chunks, (n) => new Int32Array(n)), width };
}

/** An integer column (labels, predictions) as Int32Array. */
export function intColumn(table: Table, name: string, what: string): Int32Array {
  const column = table.getChild(name);
  if (column === null) throw new Error(`${what}: no column '${name}'`);
  return Int32Array.from(column.toArray() as ArrayLike<number>);
}

/** A score column written by `perImageTable`, with the name and direction stored beside it. */
export function scoreColumn(table: Table, column: string, what: string): Score<Float32Array> {
  const field = table.schema.fields.find((f) => f.name === column);
  if (!field) throw new Error(`${what}: no column '${column}'`);
  const name = field.metadata.get(SCORE_NAME);
  const direction = field.metadata.get(SCORE_DIRECTION);
  if (name === undefined || (direction !== 'higher-is-more-uncertain' && direction !== 'higher-is-more-confident')) {
    throw new Error(`${what}: column '${column}' is not a score (no name and direction in its metadata)`);
  }
  const values = table.getChild(column)!.toArray() as ArrayLike<number>;
  return {
    name,
    values: values instanceof Float32Array ? values : Float32Array.from(values),
    direction: direction satisfies ScoreDirection,
  };
}
