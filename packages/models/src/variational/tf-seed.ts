/**
 * Seed for the k-th draw of a tfjs random op from a base seed. tfjs treats a seed of 0 as "no
 * seed" (`seed ? seed : Math.random()` in rand_util), so the result is mixed and never 0: an
 * integer in [1, 2³¹ − 1]. Distinct (base, k) give distinct seeds in practice.
 */
export function tfSeed(base: number, k: number): number {
  let h = Math.imul((Math.trunc(base) ^ 0x9e3779b9) >>> 0, 0x85ebca6b) ^ Math.imul(k + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return 1 + ((h >>> 0) % 2147483646);
}
