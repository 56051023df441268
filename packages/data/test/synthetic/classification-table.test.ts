import { tableFromArrays } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import { decodeTable, encodeTable } from '../../src/arrow/ipc.js';
import { readDatasetDescription } from '../../src/arrow/metadata.js';
import { blobsDataset, blobsTable } from '../../src/synthetic/blobs.js';
import { classificationFromTable } from '../../src/synthetic/classification-table.js';
import { moonsTable } from '../../src/synthetic/moons.js';

describe('classification generators', () => {
  test('classification tables round-trip and validate', () => {
    const table = blobsTable({ seed: 2 });
    expect(table.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ['x0', 'Float32'],
      ['x1', 'Float32'],
      ['label', 'Uint8'],
    ]);
    const back = decodeTable(encodeTable(table));
    expect(classificationFromTable(back)).toEqual(blobsDataset({ seed: 2 }));
    expect(readDatasetDescription(back)).toMatchObject({ name: 'blobs', seed: 2, params: { n: 400, std: 0.8 } });
    expect(readDatasetDescription(moonsTable({ noise: 0.3 })).params).toMatchObject({ n: 1000, noise: 0.3 });
    const x0 = Float32Array.from([0, 1]);
    expect(() => classificationFromTable(tableFromArrays({ x0, x1: x0 }))).toThrow(/no 'label' column/);
    expect(() => classificationFromTable(tableFromArrays({ x0, label: Uint8Array.from([0, 1]) }))).toThrow(/no 'x1' column/);
  });
});
