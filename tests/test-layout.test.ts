import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from './support/workspace-copy.js';

// In these packages the tests mirror the source tree: the test of src/x/y.ts is test/x/y.test.ts.
const MIRRORED = ['packages/data', 'packages/eval'];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

test.each(MIRRORED)('every test file in %s/test has a source file at the same path under src', (pkg) => {
  const root = join(repoRoot, pkg);
  const orphans = testFiles(join(root, 'test'))
    .map((file) => relative(join(root, 'test'), file))
    .filter((file) => !existsSync(join(root, 'src', file.replace(/\.test\.ts$/, '.ts'))));
  expect(orphans, 'move each test next to the path of the module it tests').toEqual([]);
});
