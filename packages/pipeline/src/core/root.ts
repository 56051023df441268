import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root, from this file's place in packages/pipeline/src/core (or dist/). */
export const workspaceRootFromHere = (): string => join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
