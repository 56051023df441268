import { tableFromArrays } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import { decodeTable, encodeTable } from '../src/arrow/ipc.js';
import { readDatasetDescription } from '../src/arrow/metadata.js';
import {
  blobsDataset,
  blobsTable,
  classificationFromTable,
  lineDataset,
  lineParamsSchema,
  lineTable,
  linspace,
  moonsDataset,
  moonsTable,
  regressionFromTable,
  sinusoidDataset,
  sinusoidParamsSchema,
  sinusoidTable,
  twoCloudsDataset,
  twoCloudsTable,
} from '../src/index.js';

const min = (a: ArrayLike<number>): number => Math.min(...Array.from(a));
const max = (a: ArrayLike<number>): number => Math.max(...Array.from(a));
const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

describe('linspace', () => {
  test('includes both ends with even spacing', () => {
    const g = linspace(-10, 10, 250);
    expect(g.length).toBe(250);
    expect(g[0]).toBe(-10);
    expect(g[249]).toBe(10);
    expect(g[1] - g[0]).toBeCloseTo(20 / 249, 12);
    expect(Array.from(linspace(0, 1, 9))).toEqual([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1]);
    expect(Array.from(linspace(3, 5, 1))).toEqual([3]);
  });
});

describe('regression generators', () => {
  test('line: defaults match SPEC 1.1 and the residuals have the noise scale', () => {
    expect(lineParamsSchema.parse({})).toMatchObject({ n: 25, xLow: 0, xHigh: 2, w0: -0.3, w1: 0.5, noiseStd: 0.2 });
    const d = lineDataset({ n: 2000, seed: 3 });
    expect(d.x.length).toBe(2000);
    expect(min(d.x)).toBeGreaterThanOrEqual(0);
    expect(max(d.x)).toBeLessThan(2);
    const residuals = Array.from(d.x, (x, i) => d.y[i] - (-0.3 + 0.5 * x));
    expect(Math.abs(mean(residuals))).toBeLessThan(0.02);
    expect(Math.sqrt(mean(residuals.map((r) => r * r)))).toBeCloseTo(0.2, 1);
    expect(d.xTest.length).toBe(250);
    expect(d.xTest[0]).toBe(-10);
    expect(d.yTest[0]).toBeCloseTo(-0.3 - 5, 12); // noise-free truth
  });

  test('line is deterministic per seed and differs across seeds', () => {
    expect(lineDataset({ seed: 7 })).toEqual(lineDataset({ seed: 7 }));
    expect(lineDataset({ seed: 7 }).x).not.toEqual(lineDataset({ seed: 8 }).x);
    expect(lineDataset({ seed: 7 }).x.length).toBe(25);
  });

  test('two clouds leave a hole between the intervals', () => {
    const d = twoCloudsDataset({ seed: 1 });
    expect(d.x.length).toBe(20);
    const left = Array.from(d.x.subarray(0, 10));
    const right = Array.from(d.x.subarray(10));
    expect(min(left)).toBeGreaterThanOrEqual(-3);
    expect(max(left)).toBeLessThan(-1);
    expect(min(right)).toBeGreaterThanOrEqual(1);
    expect(max(right)).toBeLessThan(3);
    expect(d.xTest.length).toBe(100);
    expect([d.xTest[0], d.xTest[99]]).toEqual([-12, 12]);
    expect(twoCloudsDataset({ seed: 1 })).toEqual(d);
  });

  test('sinusoid: y = sin(2πx) + x + noise on [0, 1], test grid on [−1, 2]', () => {
    expect(sinusoidParamsSchema.parse({})).toMatchObject({ n: 50, xLow: 0, xHigh: 1, noiseStd: 0.2 });
    const d = sinusoidDataset({ seed: 2, noiseStd: 0 });
    expect(d.x.length).toBe(50);
    expect(min(d.x)).toBeGreaterThanOrEqual(0);
    expect(max(d.x)).toBeLessThan(1);
    d.x.forEach((x, i) => expect(d.y[i]).toBeCloseTo(Math.sin(2 * Math.PI * x) + x, 12));
    expect(d.xTest.length).toBe(500);
    expect([d.xTest[0], d.xTest[499]]).toEqual([-1, 2]);
    expect(d.yTest[499]).toBeCloseTo(2, 12);
  });

  test('invalid parameters give one error naming the field', () => {
    expect(() => lineDataset({ xLow: 2, xHigh: 1 })).toThrow(/lineDataset: xHigh: /);
    expect(() => lineDataset({ n: 2.5 })).toThrow(/lineDataset: n: /);
    expect(() => sinusoidDataset({ noiseStd: -1 })).toThrow(/sinusoidDataset: noiseStd: /);
    expect(() => twoCloudsDataset({ left: [1, -1] })).toThrow(/twoCloudsDataset: left: /);
    expect(() => lineDataset({ test: { low: 0, high: 1, n: 0 } })).toThrow(/test\.n/);
  });
});

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

describe('classification generators', () => {
  test('blobs: balanced, shuffled, centred on the SPEC centres', () => {
    const d = blobsDataset({ seed: 11 });
    expect(d.n).toBe(400);
    expect(d.x).toBeInstanceOf(Float32Array);
    expect(d.x.length).toBe(800);
    expect(d.y.reduce((s, v) => s + v, 0)).toBe(200);
    // Shuffled: the first half is not all one class.
    expect(new Set(d.y.subarray(0, 200)).size).toBe(2);
    for (const [label, centre] of [[0, -2], [1, 2]] as const) {
      const rows = Array.from(d.y.keys()).filter((i) => d.y[i] === label);
      expect(mean(rows.map((i) => d.x[2 * i]))).toBeCloseTo(centre, 0);
      expect(mean(rows.map((i) => d.x[2 * i + 1]))).toBeCloseTo(centre, 0);
      const sd = Math.sqrt(mean(rows.map((i) => (d.x[2 * i] - centre) ** 2)));
      expect(sd).toBeGreaterThan(0.65);
      expect(sd).toBeLessThan(0.95);
    }
    expect(blobsDataset({ seed: 11 })).toEqual(d);
    expect(blobsDataset({ seed: 12 }).x).not.toEqual(d.x);
    const odd = blobsDataset({ n: 7, centres: [[0, 0], [1, 1], [2, 2]], seed: 1 });
    expect([0, 1, 2].map((c) => odd.y.filter((v) => v === c).length)).toEqual([3, 2, 2]);
  });

  test('moons without noise lie exactly on the two arcs', () => {
    const d = moonsDataset({ n: 101, noise: 0, seed: 4 });
    expect(d.n).toBe(101);
    expect(d.y.filter((v) => v === 0).length).toBe(50);
    for (let i = 0; i < d.n; i++) {
      const [a, b] = [d.x[2 * i], d.x[2 * i + 1]];
      if (d.y[i] === 0) {
        expect(Math.hypot(a, b)).toBeCloseTo(1, 5);
        expect(b).toBeGreaterThanOrEqual(-1e-6);
      } else {
        expect(Math.hypot(1 - a, 0.5 - b)).toBeCloseTo(1, 5);
        expect(b).toBeLessThanOrEqual(0.5 + 1e-6);
      }
    }
  });

  test('moons noise has the requested scale and is seeded', () => {
    const d = moonsDataset({ seed: 9 });
    expect(d.n).toBe(1000);
    const clean = moonsDataset({ seed: 9, noise: 0 });
    // Same permutation for the same seed, so the difference is the noise alone.
    const diffs = Array.from(d.x, (v, i) => v - clean.x[i]);
    expect(Math.sqrt(mean(diffs.map((v) => v * v)))).toBeCloseTo(0.05, 2);
    expect(moonsDataset({ seed: 9 })).toEqual(d);
    expect(() => moonsDataset({ noise: -0.1 })).toThrow(/moonsDataset: noise: /);
  });

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
