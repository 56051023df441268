/**
 * Seeds derived by name. Every random stream of a run gets its own seed from the run's seed and a
 * path-like name (`deriveSeed(seed, 'week3/predict/mc')`), so streams never share draws, adding a
 * stream changes no other one, and nobody has to keep hand-written offsets (`seed + 41`) apart.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** murmur3's finaliser: every input bit flips about half of the output bits. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** An unsigned 32-bit seed for the stream `name` of a run seeded with `seed` (any safe integer). */
export function deriveSeed(seed: number, name: string): number {
  if (!Number.isSafeInteger(seed)) throw new Error(`deriveSeed: seed must be a safe integer, got ${seed}`);
  if (name.length === 0) throw new Error('deriveSeed: name must not be empty');
  // Both 32-bit halves of the seed take part, so seeds 2^32 apart stay distinct.
  const low = seed >>> 0;
  const high = Math.floor(seed / 4294967296) >>> 0;
  let h = mix32(FNV_OFFSET ^ low) ^ mix32(high ^ 0x9e3779b9);
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return mix32(h ^ low);
}
