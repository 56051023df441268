import { tableFromArrays } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import { decodeTable, encodeTable } from '../../src/arrow/ipc.js';
import { readDatasetDescription } from '../../src/arrow/metadata.js';
import { lineDataset, lineParamsSchema, lineTable } from '../../src/synthetic/line.js';
import { regressionFromTable } from '../../src/synthetic/regression-table.js';
import { sinusoidDataset, sinusoidTable } from '../../src/synthetic/sinusoid.js';
import { twoCloudsTable } from '../../src/synthetic/two-clouds.js';

describe('regression tables', () => {
  test('line table round-trips through IPC with columns, split and description', () => {
    const table = lineTable({ seed: 5 });
    expect(table.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ['x', 'Float64'],
      ['y', 'Float64'],
      ['split', 'Dictionary<Int32, Utf8>'],
    ]);
    expect(table.numRows).toBe(25 + 250);
    const back = decodeTable(encodeTable(table));
    expect(regressionFromTable(back)).toEqual(lineDataset({ seed: 5 }));
    const description = readDatasetDescription(back);
    expect(description.name).toBe('line');
    expect(description.seed).toBe(5);
    expect(description.params).toEqual(lineParamsSchema.parse({ seed: 5 }));
  });

  test('the other regression sets are described by name', () => {
    expect(readDatasetDescription(twoCloudsTable({ seed: 1 })).name).toBe('twoClouds');
    expect(readDatasetDescription(sinusoidTable({ seed: 1 })).params).toMatchObject({ n: 50, noiseStd: 0.2, seed: 1 });
    expect(regressionFromTable(sinusoidTable({ seed: 4 })).x).toEqual(sinusoidDataset({ seed: 4 }).x);
  });

  test('reading back validates the columns', () => {
    const x = Float64Array.from([1, 2]);
    expect(() => regressionFromTable(tableFromArrays({ x, split: ['train', 'test'] }))).toThrow(/no 'y' column/);
    expect(() => regressionFromTable(tableFromArrays({ x, y: x }))).toThrow(/no 'split' column/);
    expect(() => regressionFromTable(tableFromArrays({ x, y: Int32Array.from([1, 2]), split: ['train', 'test'] }))).toThrow(
      /'y' must be floating point/,
    );
    expect(() => regressionFromTable(tableFromArrays({ x, y: x, split: ['train', 'valid'] }))).toThrow(/row 1.*"valid"/);
    const plain = regressionFromTable(tableFromArrays({ x, y: x, split: ['test', 'train'] }));
    expect(Array.from(plain.x)).toEqual([2]);
    expect(Array.from(plain.xTest)).toEqual([1]);
  });
});
