import { DataType, Field, FixedSizeList, makeData, RecordBatch, Schema, Struct, Table, Type, Uint8, type Data } from 'apache-arrow';
import { DATASET_METADATA_KEY, readDatasetDescription, withDatasetDescription, type DatasetDescription } from '../arrow/metadata.js';
import { assertImageSet, type ImageSet } from './image-set.js';

// Image shape travels on the pixels field, so a reader never has to guess it from the list size.
const HEIGHT_KEY = 'rdl.image.height';
const WIDTH_KEY = 'rdl.image.width';

/**
 * One row per image: `pixels` FixedSizeList<Uint8>[height·width] and `label` Uint8, the
 * description in the schema metadata. Both columns wrap the set's buffers (no copy).
 */
export function imageSetToTable(set: ImageSet, description: DatasetDescription): Table {
  assertImageSet(set);
  const size = set.height * set.width;
  const pixelsType = new FixedSizeList(size, new Field('pixel', new Uint8(), false));
  const pixelsField = new Field(
    'pixels',
    pixelsType,
    false,
    new Map([
      [HEIGHT_KEY, String(set.height)],
      [WIDTH_KEY, String(set.width)],
    ]),
  );
  const labelField = new Field('label', new Uint8(), false);
  const child = makeData({ type: new Uint8(), data: set.pixels, length: set.pixels.length, nullCount: 0 });
  const pixels = makeData({ type: pixelsType, length: set.count, nullCount: 0, child });
  const label = makeData({ type: new Uint8(), data: set.labels, length: set.count, nullCount: 0 });
  const schema = new Schema([pixelsField, labelField]);
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: set.count, nullCount: 0, children: [pixels, label] }),
  );
  return withDatasetDescription(new Table(schema, [batch]), description);
}

/**
 * Reads an image table back. With one record batch (what `imageSetToTable` and its IPC round
 * trip give) pixels and labels are views into the table's buffers; several batches are joined
 * with a single copy. `what` names the source in errors.
 */
export function imageSetFromTable(table: Table, what: string): ImageSet {
  const pixelsField = table.schema.fields.find((f) => f.name === 'pixels');
  const labelField = table.schema.fields.find((f) => f.name === 'label');
  if (!pixelsField) throw new Error(`${what}: no 'pixels' column`);
  if (!labelField) throw new Error(`${what}: no 'label' column`);
  const type = pixelsField.type as FixedSizeList;
  if (type.typeId !== Type.FixedSizeList || !isUint8(type.children[0]?.type)) {
    throw new Error(`${what}: column 'pixels' must be FixedSizeList<Uint8>, got ${String(pixelsField.type)}`);
  }
  if (!isUint8(labelField.type)) throw new Error(`${what}: column 'label' must be Uint8, got ${String(labelField.type)}`);
  const size = type.listSize;
  const { height, width } = imageShape(pixelsField, size, what);
  const pixelsColumn = table.getChild('pixels');
  const labelColumn = table.getChild('label');
  if (!pixelsColumn || !labelColumn) throw new Error(`${what}: missing 'pixels' or 'label' data`);
  if (pixelsColumn.nullCount > 0 || labelColumn.nullCount > 0) throw new Error(`${what}: 'pixels' and 'label' must not hold nulls`);
  const count = table.numRows;
  const pixels = join(
    pixelsColumn.data.map((d) => listValues(d as Data<FixedSizeList>, size, what)),
    count * size,
  );
  const labels = join(
    labelColumn.data.map((d) => (d.values as Uint8Array).subarray(0, d.length)),
    count,
  );
  const set: ImageSet = { name: descriptionName(table, what) ?? what, pixels, labels, count, height, width };
  assertImageSet(set, what);
  return set;
}

function isUint8(type: DataType | undefined): boolean {
  return type !== undefined && DataType.isInt(type) && type.bitWidth === 8 && !type.isSigned;
}

function imageShape(field: Field, size: number, what: string): { height: number; width: number } {
  const h = field.metadata.get(HEIGHT_KEY);
  const w = field.metadata.get(WIDTH_KEY);
  if (h === undefined || w === undefined) {
    // Tables written elsewhere: a square list size is read as a square image.
    const side = Math.round(Math.sqrt(size));
    if (side * side !== size) throw new Error(`${what}: 'pixels' has no ${HEIGHT_KEY}/${WIDTH_KEY} metadata and ${size} is not a square`);
    return { height: side, width: side };
  }
  const height = Number(h);
  const width = Number(w);
  if (!Number.isInteger(height) || !Number.isInteger(width) || height * width !== size) {
    throw new Error(`${what}: 'pixels' metadata says ${h}×${w} but each list holds ${size} values`);
  }
  return { height, width };
}

// A sliced FixedSizeList keeps its child already sliced to the same rows, so the child's values
// start at this chunk's first pixel.
function listValues(data: Data<FixedSizeList>, size: number, what: string): Uint8Array {
  const child = data.children[0];
  const values = child?.values as Uint8Array | undefined;
  if (!values || values.length < data.length * size) throw new Error(`${what}: 'pixels' data is shorter than ${data.length}×${size}`);
  return values.subarray(0, data.length * size);
}

function join(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

// Tables without a description still load (named by `what`); a malformed one is an error.
function descriptionName(table: Table, what: string): string | undefined {
  if (!table.schema.metadata.has(DATASET_METADATA_KEY)) return undefined;
  try {
    return readDatasetDescription(table).name;
  } catch (error) {
    throw new Error(`${what}: ${(error as Error).message}`, { cause: error });
  }
}
