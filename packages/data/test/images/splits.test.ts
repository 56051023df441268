import { describe, expect, test } from 'vitest';
import type { ImageSet } from '../../src/images/image-set.js';
import { sampleImages, sampleIndices, splitHoldout, splitOodSample } from '../../src/images/splits.js';

// Image i is filled with the byte i % 256 and labelled i % 10, so contents reveal the index.
function makeSet(count: number): ImageSet {
  const pixels = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) pixels.fill(i % 256, i * 784, (i + 1) * 784);
  return { name: 'toy', pixels, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count, height: 28, width: 28 };
}

const disjoint = (a: Int32Array, b: Int32Array) => !a.some((i) => b.includes(i));

describe('splits', () => {
  const set = makeSet(200);

  test('splitHoldout: disjoint, covers everything, deterministic per seed', () => {
    const a = splitHoldout(set, { holdout: 50, seed: 7 });
    expect(a.holdout.count).toBe(50);
    expect(a.train.count).toBe(150);
    expect(disjoint(a.trainIndices, a.holdoutIndices)).toBe(true);
    expect(new Set([...a.trainIndices, ...a.holdoutIndices]).size).toBe(200);
    // Contents follow the indices.
    a.holdoutIndices.forEach((i, k) => expect(a.holdout.pixels[k * 784]).toBe(i % 256));
    const again = splitHoldout(set, { holdout: 50, seed: 7 });
    expect(Array.from(again.holdoutIndices)).toEqual(Array.from(a.holdoutIndices));
    expect(Buffer.from(again.train.pixels).equals(Buffer.from(a.train.pixels))).toBe(true);
    const other = splitHoldout(set, { holdout: 50, seed: 8 });
    expect(Array.from(other.holdoutIndices)).not.toEqual(Array.from(a.holdoutIndices));
    expect(() => splitHoldout(set, { holdout: 201, seed: 1 })).toThrow(/splitHoldout: holdout/);
    expect(() => splitHoldout(set, { holdout: 5, seed: 0.5 })).toThrow(/splitHoldout: seed/);
  });

  test('sampleImages avoids excluded indices and is deterministic per seed', () => {
    const exclude = Int32Array.from({ length: 100 }, (_, i) => i * 2); // all even indices
    const idx = sampleIndices(200, { count: 60, seed: 3, exclude });
    expect(idx.length).toBe(60);
    expect(new Set(idx).size).toBe(60);
    expect(idx.every((i) => i % 2 === 1)).toBe(true);
    expect(Array.from(sampleIndices(200, { count: 60, seed: 3, exclude }))).toEqual(Array.from(idx));
    expect(Array.from(sampleIndices(200, { count: 60, seed: 4, exclude }))).not.toEqual(Array.from(idx));
    const images = sampleImages(set, { count: 60, seed: 3, exclude });
    expect(Array.from(images.labels)).toEqual(Array.from(idx, (i) => i % 10));
    expect(() => sampleIndices(200, { count: 101, seed: 3, exclude })).toThrow(/count 101 exceeds the 100 images available/);
  });

  test('splitOodSample: test and tune parts are disjoint, sized, deterministic', () => {
    const a = splitOodSample(set, { testCount: 120, tuneCount: 30, seed: 11 });
    expect(a.test.count).toBe(120);
    expect(a.tune.count).toBe(30);
    expect(disjoint(a.testIndices, a.tuneIndices)).toBe(true);
    const b = splitOodSample(set, { testCount: 120, tuneCount: 30, seed: 11 });
    expect(Array.from(b.testIndices)).toEqual(Array.from(a.testIndices));
    expect(Array.from(b.tuneIndices)).toEqual(Array.from(a.tuneIndices));
    expect(() => splitOodSample(set, { testCount: 180, tuneCount: 30, seed: 1 })).toThrow(/exceeds the 200 images/);
  });
});
