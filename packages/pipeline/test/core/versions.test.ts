import { expect, test } from 'vitest';
import { packageVersions } from '../../src/core/versions.js';

test('every tracked package installed here reports its version (apache-arrow does not export its package.json)', () => {
  const versions = packageVersions();
  expect(versions.node).toBe(process.version);
  for (const [name, version] of Object.entries(versions)) expect(version, name).toMatch(/^v?\d+\.\d+\.\d+/);
  expect(Object.keys(versions)).toEqual(expect.arrayContaining(['apache-arrow', 'vega-lite', 'zod', '@tensorflow/tfjs-core']));
});
