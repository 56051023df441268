import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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

/** Versions of the packages that can change a result, for the stage manifest. */
export function packageVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = { node: process.version };
  for (const name of TRACKED) {
    try {
      const file = require.resolve(`${name}/package.json`);
      versions[name] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      versions[name] = 'not installed';
    }
  }
  return versions;
}
