import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { repoRoot } from './support/workspace-copy.js';

// Stage keys hold only the files whose code is left in a stage's bundle after tree shaking
// (packages/pipeline/src/nx/code-graph.ts). That is safe because a module esbuild drops has no
// effect when it runs anyway (under tsx every module a package index re-exports is loaded): each
// package's `sideEffects` must be honest. This checks it: a module that does anything on import
// but declare, import and export is either listed in its package's `sideEffects`, or an entry
// point nobody imports (a script, a worker started by URL).
//
// Bare imports of npm packages (`import '@tensorflow/tfjs-layers'`, for the gradients it registers
// in tfjs' global registry) are allowed: the package is keyed wherever the importing module is
// bundled, and every tfjs stage loads it through @rdl/models' declared register-gradients.ts.

interface Pkg {
  dir: string;
  sideEffects: boolean | string[];
}

function workspacePackages(): Pkg[] {
  const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] };
  return root.workspaces
    .filter((dir) => existsSync(join(repoRoot, dir, 'src')))
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as { sideEffects?: boolean | string[] };
      return { dir, sideEffects: pkg.sideEffects ?? true };
    });
}

const CODE = /\.(ts|mts|js|mjs)$/;
const isModule = (file: string) => CODE.test(file) && !/\.d\.m?ts$/.test(file);

/** What in a module runs on import beyond declarations, and the relative modules it imports (resolved). */
function analyse(file: string): { effects: string[]; imports: string[]; bareRelative: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const effects: string[] = [];
  const imports: string[] = [];
  const bareRelative: string[] = [];
  const resolveImport = (spec: string) => {
    const target = resolve(dirname(file), spec);
    return [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts')].find((t) => existsSync(t)) ?? target;
  };
  const hasTopLevelAwait = (node: ts.Node): boolean =>
    ts.isAwaitExpression(node) || (!ts.isFunctionLike(node) && !ts.isClassLike(node) && ts.forEachChild(node, hasTopLevelAwait) === true);
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      const spec = statement.moduleSpecifier.text;
      if (spec.startsWith('.')) {
        imports.push(resolveImport(spec));
        if (ts.isImportDeclaration(statement) && !statement.importClause) bareRelative.push(resolveImport(spec));
      }
      continue;
    }
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) continue;
    if (
      ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isModuleDeclaration(statement) ||
      ts.isEmptyStatement(statement)
    ) {
      continue;
    }
    if (ts.isVariableStatement(statement) && !hasTopLevelAwait(statement)) continue;
    effects.push(statement.getText(source).split('\n')[0]!.slice(0, 80));
  }
  return { effects, imports, bareRelative };
}

const packages = workspacePackages();
const modules = packages.flatMap((pkg) =>
  (readdirSync(join(repoRoot, pkg.dir, 'src'), { recursive: true }) as string[])
    .filter(isModule)
    .map((f) => ({ pkg, file: join(repoRoot, pkg.dir, 'src', f) })),
);
const analysed = new Map(modules.map((m) => [m.file, analyse(m.file)]));
const imported = new Set([...analysed.values()].flatMap((a) => a.imports));
const declared = (pkg: Pkg, file: string): boolean =>
  pkg.sideEffects === true || (Array.isArray(pkg.sideEffects) && pkg.sideEffects.some((p) => resolve(repoRoot, pkg.dir, p) === file));

describe('sideEffects declarations', () => {
  test('every file a sideEffects list names exists', () => {
    for (const pkg of packages) {
      if (!Array.isArray(pkg.sideEffects)) continue;
      for (const entry of pkg.sideEffects) expect(existsSync(resolve(repoRoot, pkg.dir, entry)), `${pkg.dir}: ${entry}`).toBe(true);
    }
  });

  test.each(modules.map((m) => [relative(repoRoot, m.file), m] as const))('%s: no undeclared side effect on import', (_, { pkg, file }) => {
    const { effects, bareRelative } = analysed.get(file)!;
    if (effects.length > 0 && !declared(pkg, file)) {
      expect(
        imported.has(file),
        `${relative(repoRoot, file)} runs ${JSON.stringify(effects)} on import: list it in ${pkg.dir}/package.json sideEffects, or move the effect into a function`,
      ).toBe(false);
    }
    // A bare import of a workspace module is only there for its effects: the target must declare them.
    for (const target of bareRelative) {
      const owner = packages.find((p) => target.startsWith(join(repoRoot, p.dir) + '/'))!;
      expect(
        declared(owner, target),
        `${relative(repoRoot, file)} imports ${relative(repoRoot, target)} for its effects, which its package does not declare`,
      ).toBe(true);
    }
  });

  test('no TypeScript enums: esbuild inlines their values across modules, which could leave their file out of a stage key', () => {
    const withEnums = modules.filter(({ file }) => {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): boolean => ts.isEnumDeclaration(node) || ts.forEachChild(node, visit) === true;
      return visit(source);
    });
    expect(withEnums.map(({ file }) => relative(repoRoot, file))).toEqual([]);
  });

  test('the check can fail: statements that run on import are found, declarations are not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rdl-effects-'));
    const file = join(dir, 'module.ts');
    writeFileSync(
      file,
      [
        "import * as tf from '@tensorflow/tfjs-core';",
        'const WS = new Uint8Array(256);',
        'for (const c of [0x20, 0x09]) WS[c] = 1;',
        'export class Layer {}',
        'tf.serialization.registerClass(Layer);',
        'export const ready = await Promise.resolve(1);',
        'export function f() { return WS; }',
      ].join('\n'),
    );
    expect(analyse(file).effects).toEqual([
      'for (const c of [0x20, 0x09]) WS[c] = 1;',
      'tf.serialization.registerClass(Layer);',
      'export const ready = await Promise.resolve(1);',
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});
