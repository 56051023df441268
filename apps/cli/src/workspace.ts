import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The rdl workspace containing `from`: the nearest folder with nx.json and packages/pipeline. */
export function findWorkspaceRoot(from: string = process.cwd()): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'nx.json')) && existsSync(join(dir, 'packages', 'pipeline'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`not inside an rdl workspace (no nx.json with packages/pipeline above ${from})`);
    dir = parent;
  }
}
