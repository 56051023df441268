import { describe, expect, it } from 'vitest';
import { imageGridChart } from '../../src/charts/image-grid.js';
import { countMarks, renderOk } from './chart-checks.js';

describe('digits', () => {
  const K = 6;
  const images = new Uint8Array(K * 784);
  for (let i = 0; i < K; i++) for (let p = 0; p < 784; p++) images[i * 784 + p] = (p + i * 7) % 28 < 5 ? 255 : 0;

  it('lays out K images with captions', async () => {
    const spec = imageGridChart({
      images,
      labels: [0, 1, 2, 3, 4, 5],
      captions: images.length ? Array.from({ length: K }, (_, i) => `VR ${i / 10}`) : [],
      flagged: [false, true, false, false, false, false],
      columns: 3,
      title: 'Digits test',
    });
    const r = await renderOk(spec, 'Digits test');
    expect(countMarks(r.svg, 'image')).toBe(K);
    expect(r.svg).toContain('VR 0.5');
    expect(r.svg).toContain('#c0392b');
    expect(() => imageGridChart({ images, captions: ['a'], title: 't' })).toThrow(/captions: 1 captions for 6 images/);
  });
});
