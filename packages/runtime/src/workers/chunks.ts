/**
 * Sharing work between the calling thread and worker threads: contiguous splits, and chunks
 * handed out as threads free up. Knows nothing of what a chunk computes. No Node imports.
 */

/** Splits `count` items into `parts` contiguous [start, end) ranges, sizes differing by ≤ 1. */
export function splitRange(count: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const end = start + Math.floor(count / parts) + (p < count % parts ? 1 : 0);
    out.push([start, end]);
    start = end;
  }
  return out;
}

/** Lets pending messages and timers run (setImmediate under Node, a zero timeout elsewhere). */
export const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** What `shareChunks` runs; `first`/`end` delimit a chunk, [first, end). */
export interface ChunkWork<W> {
  /** The largest chunk, in items. */
  maxChunk: number;
  /** Runs before a worker's first chunk (e.g. sends it the model's weights). */
  prepare?: (worker: W) => Promise<void>;
  /** Computes a chunk on the calling thread. */
  local: (first: number, end: number) => Promise<void>;
  /** Has `worker` compute a chunk. */
  remote: (worker: W, first: number, end: number) => Promise<void>;
}

/**
 * Runs items [0, count) on the calling thread and `workers`, in chunks of at most `maxChunk`
 * handed out as threads free up, so a thread slowed by others on the machine simply takes fewer.
 * Without workers the calling thread does [0, count) in one call. Work that computes each item
 * the same way on every thread gives the same result for any number of threads.
 */
export async function shareChunks<W>(count: number, workers: readonly W[], work: ChunkWork<W>): Promise<void> {
  if (workers.length === 0) return work.local(0, count);
  // About 16 chunks per thread, so a thread slowed by the host costs at most a small tail
  // (measured on LeNet inference: 2 threads went from ≈ 1.5× to ≈ 2× one thread).
  const size = Math.max(1, Math.min(work.maxChunk, Math.ceil(count / (16 * (workers.length + 1)))));
  let next = 0;
  const take = (): [number, number] | undefined => {
    if (next >= count) return undefined;
    const first = next;
    next = Math.min(count, next + size);
    return [first, next];
  };
  // Each worker keeps two chunks queued so it never idles while this thread computes.
  const workerLoop = async (w: W): Promise<void> => {
    await work.prepare?.(w);
    const run = async (range: [number, number] | undefined): Promise<void> => {
      if (!range) return;
      await work.remote(w, range[0], range[1]);
      await run(take());
    };
    await Promise.all([run(take()), run(take())]);
  };
  const jobs = workers.map(workerLoop);
  // Handled now, so a failure here before they are awaited is not also an unhandled rejection.
  for (const job of jobs) job.catch(() => undefined);
  for (let range = take(); range; range = take()) {
    await work.local(range[0], range[1]);
    await yieldToEventLoop(); // lets worker replies in, so they get their next chunks
  }
  await Promise.all(jobs);
}
