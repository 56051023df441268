import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** Folder of an installed npm package; a clear message when it is not installed. */
export function packageDir(name: string): string {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
  } catch {
    throw new Error(`the '${name}' package is not installed (it provides the dataset files)`);
  }
}
