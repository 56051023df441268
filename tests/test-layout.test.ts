import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from './support/workspace-copy.js';

// In these packages the tests mirror the source tree: the test of src/x/y.ts (or y.mjs) is
// test/x/y.test.ts, and a second file on one aspect of it is test/x/y.<aspect>.test.ts
// (e.g. test/core/runner.runtime-key.test.ts). Helpers without `.test` may sit anywhere in test/.
const MIRRORED = ['packages/data', 'packages/eval', 'packages/models', 'packages/pipeline'];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** The source paths (without extension) a test file may cover: y for y.test.ts and y.<aspect>.test.ts. */
function sourceCandidates(testPath: string): string[] {
  const base = testPath.replace(/\.test\.ts$/, '');
  const aspect = /^(.*[^/])\.[a-z0-9-]+$/.exec(base);
  return aspect ? [base, aspect[1]] : [base];
}

test('a test file maps to its module, or to its module with one aspect', () => {
  expect(sourceCandidates('core/runner.test.ts')).toEqual(['core/runner']);
  expect(sourceCandidates('core/runner.runtime-key.test.ts')).toEqual(['core/runner.runtime-key', 'core/runner']);
});

test.each(MIRRORED)('every test file in %s/test has a source file at the same path under src', (pkg) => {
  const root = join(repoRoot, pkg);
  const orphans = testFiles(join(root, 'test'))
    .map((file) => relative(join(root, 'test'), file))
    .filter((file) => !sourceCandidates(file).some((c) => ['.ts', '.mjs'].some((ext) => existsSync(join(root, 'src', c + ext)))));
  expect(orphans, 'move each test next to the path of the module it tests').toEqual([]);
});
