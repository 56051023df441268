import { describe, expect, it } from 'vitest';
import { voteHistogramChart, voteHistogramGridChart } from '../../src/charts/votes.js';
import { countMarks, renderOk } from './chart-checks.js';

describe('digits', () => {
  const K = 6;
  const images = new Uint8Array(K * 784);
  for (let i = 0; i < K; i++) for (let p = 0; p < 784; p++) images[i * 784 + p] = (p + i * 7) % 28 < 5 ? 255 : 0;

  it('draws one vote bar per class, single and small multiples', async () => {
    const votes = [0, 0, 0, 0, 0, 10, 80, 0, 10, 0];
    const one = await renderOk(
      voteHistogramChart({ votes, probs: votes.map((v) => v / 100), trueLabel: 6, image: images.subarray(0, 784), title: 'Votes test' }),
      'Votes test',
    );
    expect(countMarks(one.svg, 'rect', 'concat_1_layer_0_marks')).toBe(10); // bars (ticks are rects too, in layer 2)
    expect(countMarks(one.svg, 'rect')).toBe(21); // + 10 probability ticks + the image frame
    expect(one.svg).toContain('VR 0.20');
    const grid = await renderOk(
      voteHistogramGridChart({
        items: [
          { votes, trueLabel: 6 },
          { votes, trueLabel: 5, image: images.subarray(784, 1568) },
        ],
        title: 'Votes grid',
      }),
      'Votes grid',
    );
    expect(countMarks(grid.svg, 'rect')).toBe(21); // 2 × 10 bars + 1 image frame
    expect(grid.svg).toContain('predicted (wrong)');
    expect(() => voteHistogramChart({ votes: [0, 0], trueLabel: 0, title: 't' })).toThrow(/no votes/);
  });
});
