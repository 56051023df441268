import { createRng } from '@rdl/core';

/** Labels (20 % positive) and overlapping normal scores, rounded to 0.01 unless `round` is false. */
export function randomCase(seed: number, n: number, round = true): { labels: number[]; scores: number[] } {
  const rng = createRng(seed);
  const labels: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = rng.next() < 0.2 ? 1 : 0;
    labels.push(y);
    const s = rng.normal(1.5 * y, 1);
    scores.push(round ? Math.round(s * 100) / 100 : s);
  }
  return { labels, scores };
}
