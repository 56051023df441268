import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const TRACKED = [
  '@rdl/data',
  '@rdl/runtime',
  '@rdl/models',
  '@rdl/uncertainty',
  '@rdl/eval',
  '@rdl/pipeline',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-wasm',
  'apache-arrow',
  'vega-lite',
  'zod',
];

/** The version in the package.json above a resolved entry file (some packages, e.g. apache-arrow, do not export their package.json). */
function versionAbove(entry: string, name: string): string | undefined {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === name) return pkg.version;
  }
  return undefined;
}

/** Versions of the packages that can change a result, for the stage manifest. */
export function packageVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = { node: process.version };
  for (const name of TRACKED) {
    try {
      versions[name] = versionAbove(require.resolve(name), name) ?? 'unknown';
    } catch {
      versions[name] = 'not installed';
    }
  }
  return versions;
}
