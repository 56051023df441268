import { Field, FixedSizeList, Float32, tableFromArrays, Table, Type, Uint8, vectorFromArray } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import { decodeTable, encodeTable } from '../../src/arrow/ipc.js';
import { readDatasetDescription } from '../../src/arrow/metadata.js';
import type { ImageSet } from '../../src/images/image-set.js';
import { imageSetFromTable, imageSetToTable } from '../../src/images/table.js';

function makeSet(count: number, height = 28, width = 28): ImageSet {
  const pixels = Uint8Array.from({ length: count * height * width }, (_, i) => (i * 31 + (i >> 8)) % 256);
  const labels = Uint8Array.from({ length: count }, (_, i) => (i * 3) % 10);
  return { name: 'toy', pixels, labels, count, height, width };
}

describe('image tables', () => {
  test('one FixedSizeList<Uint8>[784] pixels column and a Uint8 label, built without copying', () => {
    const set = makeSet(5);
    const table = imageSetToTable(set, { name: 'mnist-test', params: { split: 'test' } });
    expect(table.schema.fields.map((f) => f.name)).toEqual(['pixels', 'label']);
    const pixelsType = table.schema.fields[0].type as FixedSizeList;
    expect(pixelsType.typeId).toBe(Type.FixedSizeList);
    expect(pixelsType.listSize).toBe(784);
    expect(pixelsType.children[0].type).toBeInstanceOf(Uint8);
    expect(table.schema.fields[1].type).toBeInstanceOf(Uint8);
    expect(table.numRows).toBe(5);
    expect(table.getChild('pixels')?.data[0].children[0].values.buffer).toBe(set.pixels.buffer);
    expect(readDatasetDescription(table)).toEqual({ name: 'mnist-test', params: { split: 'test' } });
  });

  test('an IPC round trip keeps pixels and labels byte-identical, reading them as views', () => {
    const set = makeSet(64);
    const bytes = encodeTable(imageSetToTable(set, { name: 'toy', params: {}, seed: 3 }));
    const back = imageSetFromTable(decodeTable(bytes, 'toy.arrow'), 'toy.arrow');
    expect(back).toMatchObject({ name: 'toy', count: 64, height: 28, width: 28 });
    expect(Buffer.from(back.pixels).equals(Buffer.from(set.pixels))).toBe(true);
    expect(Array.from(back.labels)).toEqual(Array.from(set.labels));
    expect(back.pixels.buffer).toBe(bytes.buffer); // zero-copy: a view into the IPC bytes
  });

  test('non-square images keep their shape through the field metadata', () => {
    const set = makeSet(3, 4, 6);
    const back = imageSetFromTable(decodeTable(encodeTable(imageSetToTable(set, { name: 'r', params: {} }))), 'r');
    expect(back).toMatchObject({ height: 4, width: 6, count: 3 });
    expect(Array.from(back.pixels)).toEqual(Array.from(set.pixels));
  });

  test('sliced and multi-batch tables read the right rows', () => {
    const set = makeSet(10);
    const table = imageSetToTable(set, { name: 'toy', params: {} });
    const sliced = imageSetFromTable(table.slice(3, 7), 'slice');
    expect(sliced.count).toBe(4);
    expect(Array.from(sliced.pixels)).toEqual(Array.from(set.pixels.subarray(3 * 784, 7 * 784)));
    expect(Array.from(sliced.labels)).toEqual(Array.from(set.labels.subarray(3, 7)));
    const two = new Table(table.schema, [...table.slice(0, 4).batches, ...table.slice(4).batches]);
    expect(two.batches.length).toBe(2);
    const joined = imageSetFromTable(two, 'two');
    expect(Buffer.from(joined.pixels).equals(Buffer.from(set.pixels))).toBe(true);
    expect(Array.from(joined.labels)).toEqual(Array.from(set.labels));
  });

  test('wrong column types are rejected with a message naming the source', () => {
    expect(() => imageSetFromTable(tableFromArrays({ label: Uint8Array.from([1]) }), 'a.arrow')).toThrow("a.arrow: no 'pixels' column");
    const floatPixels = new Table({
      pixels: vectorFromArray([[0.5, 0.5]], new FixedSizeList(2, new Field('pixel', new Float32()))),
      label: vectorFromArray([1], new Uint8()),
    });
    expect(() => imageSetFromTable(floatPixels, 'b.arrow')).toThrow(/b\.arrow: column 'pixels' must be FixedSizeList<Uint8>/);
    const table = imageSetToTable(makeSet(2), { name: 't', params: {} });
    const floatLabels = new Table({ pixels: table.getChild('pixels')!, label: vectorFromArray([1, 2], new Float32()) });
    expect(() => imageSetFromTable(floatLabels, 'c.arrow')).toThrow(/c\.arrow: column 'label' must be Uint8/);
  });

  test('a set whose buffers disagree cannot be written', () => {
    const set = { ...makeSet(2), count: 3 };
    expect(() => imageSetToTable(set, { name: 't', params: {} })).toThrow(/2 labels for 3 images/);
  });
});
