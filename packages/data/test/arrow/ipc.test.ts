import { tableFromArrays } from 'apache-arrow';
import { expect, test } from 'vitest';
import { decodeTable, encodeTable } from '../../src/arrow/ipc.js';
import { readDatasetDescription, withDatasetDescription } from '../../src/arrow/metadata.js';

test('a table round-trips through IPC with its description', () => {
  const table = withDatasetDescription(tableFromArrays({ x: Float64Array.from([1, 2]), y: Float64Array.from([3, 4]) }), {
    name: 'line',
    params: { slope: 0.5 },
    seed: 1,
  });
  const back = decodeTable(encodeTable(table));
  expect(back.getChild('y')?.toArray()).toEqual(Float64Array.from([3, 4]));
  expect(readDatasetDescription(back)).toEqual({ name: 'line', params: { slope: 0.5 }, seed: 1 });
});

test('garbage bytes give an error naming the source', () => {
  expect(() => decodeTable(new Uint8Array([1, 2, 3]), 'artifacts/x.arrow')).toThrow(/artifacts\/x.arrow/);
});
