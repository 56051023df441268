import { describe, expect, test } from 'vitest';
import type { ImageSet } from '../../src/images/image-set.js';
import { subset } from '../../src/images/image-set.js';

// Image i is filled with the byte i % 256 and labelled i % 10, so contents reveal the index.
function makeSet(count: number): ImageSet {
  const pixels = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) pixels.fill(i % 256, i * 784, (i + 1) * 784);
  return { name: 'toy', pixels, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count, height: 28, width: 28 };
}

describe('image sets', () => {
  const set = makeSet(200);

  test('subset copies the chosen images in order and rejects bad indices', () => {
    const s = subset(set, [5, 2, 199]);
    expect(s.count).toBe(3);
    expect([s.pixels[0], s.pixels[784], s.pixels[2 * 784 + 783]]).toEqual([5, 2, 199]);
    expect(Array.from(s.labels)).toEqual([5, 2, 9]);
    expect(() => subset(set, [0, 200])).toThrow(/index 200 at position 1 is outside 0\.\.199/);
  });
});
