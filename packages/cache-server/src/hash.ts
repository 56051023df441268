/**
 * Nx 24 task hashes are xxh3-64 values printed in decimal (`hash_array` in Nx's native hasher):
 * 1 to 20 digits. Anything else in the `/v1/cache/{hash}` position is refused before it
 * comes near a path, so there are no path tricks (`..`, `/`, `%2F`, NUL, over-long names).
 */
export const HASH_PATTERN = /^[0-9]{1,20}$/;

export function isNxHash(value: string): boolean {
  return HASH_PATTERN.test(value);
}
