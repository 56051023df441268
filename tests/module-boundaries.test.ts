import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from './support/workspace-copy.js';

// The module boundaries have teeth: the workspace's own eslint.config.mjs rejects imports against
// the flow of data. Each fixture in tests/fixtures/boundaries/ is linted as if it sat in a package.
const BOUNDARY_RULE = '@nx/enforce-module-boundaries';

let eslint: ESLint;

beforeAll(() => {
  // @nx/enforce-module-boundaries reads the project graph Nx caches in .nx/; make sure it is current.
  execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'show', 'projects'], {
    cwd: repoRoot,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    stdio: 'ignore',
  });
  eslint = new ESLint({ cwd: repoRoot });
}, 120_000);

async function lintAs(fixture: string, fileInWorkspace: string): Promise<ESLint.LintResult> {
  const code = readFileSync(join(repoRoot, 'tests', 'fixtures', 'boundaries', fixture), 'utf8');
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, fileInWorkspace) });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!;
}

function messagesOf(result: ESLint.LintResult, ruleId: string): string[] {
  return result.messages.filter((m) => m.ruleId === ruleId).map((m) => m.message);
}

describe('module boundaries (scope:* tags)', () => {
  test('data may not import models', async () => {
    const result = await lintAs('data-imports-models.ts', 'packages/data/src/boundary-fixture.ts');
    // models already depends on data, so the rule reports the cycle before the tags.
    expect(messagesOf(result, BOUNDARY_RULE)).toHaveLength(1);
    expect(messagesOf(result, BOUNDARY_RULE)[0]).toMatch(
      /^Circular dependency between "data" and "models"|^A project tagged with "scope:data"/,
    );
  });

  test('eval may not import models', async () => {
    const result = await lintAs('eval-imports-models.ts', 'packages/eval/src/boundary-fixture.ts');
    expect(messagesOf(result, BOUNDARY_RULE)).toEqual([
      'A project tagged with "scope:eval" can only depend on libs tagged with "scope:core", "scope:data"',
    ]);
  });

  test('eval may not import TensorFlow.js', async () => {
    const result = await lintAs('eval-imports-tfjs.ts', 'packages/eval/src/boundary-fixture.ts');
    expect(messagesOf(result, BOUNDARY_RULE)).toEqual([
      'A project tagged with "scope:eval" is not allowed to import "@tensorflow/tfjs-core"',
    ]);
  });

  test('uncertainty may not import eval', async () => {
    const result = await lintAs('uncertainty-imports-eval.ts', 'packages/uncertainty/src/boundary-fixture.ts');
    expect(messagesOf(result, BOUNDARY_RULE)).toHaveLength(1);
    expect(messagesOf(result, BOUNDARY_RULE)[0]).toMatch(/^A project tagged with "scope:uncertainty" can only depend on libs tagged with/);
  });

  test('a relative path into another package is rejected', async () => {
    const result = await lintAs('pipeline-deep-import.ts', 'packages/pipeline/src/boundary-fixture.ts');
    expect(messagesOf(result, BOUNDARY_RULE)).toEqual([
      'Projects cannot be imported by a relative or absolute path, and must begin with a npm scope',
    ]);
  });

  test('a path inside a package is rejected', async () => {
    const result = await lintAs('pipeline-subpath-import.ts', 'packages/pipeline/src/boundary-fixture.ts');
    expect(messagesOf(result, 'no-restricted-imports')).toHaveLength(1);
  });

  test('controls: imports along the flow of data pass', async () => {
    expect((await lintAs('eval-allowed.ts', 'packages/eval/src/boundary-fixture.ts')).messages).toEqual([]);
    expect((await lintAs('pipeline-allowed.ts', 'packages/pipeline/src/boundary-fixture.ts')).messages).toEqual([]);
  });
});

describe('file names', () => {
  test('a camelCase file name is rejected, kebab-case passes', async () => {
    const camel = await lintAs('eval-allowed.ts', 'packages/eval/src/boundaryFixture.ts');
    expect(messagesOf(camel, 'check-file/filename-naming-convention')).toHaveLength(1);
    const kebab = await lintAs('eval-allowed.ts', 'packages/eval/src/boundary-fixture.ts');
    expect(messagesOf(kebab, 'check-file/filename-naming-convention')).toEqual([]);
  });
});
