/** Node-only: how many cores this process may use (a browser build would ask `navigator`). */
import { availableParallelism } from 'node:os';

export function availableCores(): number {
  return availableParallelism();
}
