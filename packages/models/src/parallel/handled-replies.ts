/**
 * Marks worker replies as handled now, so that a failure on the calling thread before they are
 * awaited does not also surface as an unhandled rejection; awaiting them still throws.
 */
export function handled<T>(promises: Promise<T>[]): Promise<T>[] {
  for (const p of promises) p.catch(() => undefined);
  return promises;
}
