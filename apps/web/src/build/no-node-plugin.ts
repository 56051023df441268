/**
 * An esbuild plugin that fails a browser build on anything that only exists under Node: a
 * `node:` import, a bare built-in module name (`fs`, `path`, `worker_threads`, …, also as a
 * subpath such as `fs/promises`) or a native `.node` addon. Nothing is aliased or shimmed by rdl:
 * the fix is a browser entry in the package that imports it (see the packages' `browser` exports).
 *
 * One case is not a Node dependency: a package whose own package.json `browser` field maps the
 * built-in to `false` (the npm browser-field spec: "absent in browsers"), as tfjs and seedrandom
 * do for the `require("fs")` inside their `if (ENVIRONMENT_IS_NODE)` branches. That import never
 * reaches the bundle; `node:` names and addons are refused even then.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';

const BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith('_')));

/** Why `path` cannot be in a browser bundle, or undefined when it may. */
export function nodeOnlyReason(path: string): string | undefined {
  if (path.startsWith('node:')) return `the Node built-in "${path}"`;
  if (BUILTINS.has(path) || BUILTINS.has(path.split('/')[0]!)) return `the Node built-in "${path}"`;
  if (/\.node$/.test(path)) return `the native addon "${path}"`;
  return undefined;
}

/** The nearest package.json above `file` that has a name (a package root), parsed. */
function owningPackage(file: string): { browser?: unknown } | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; browser?: unknown };
      if (pkg.name !== undefined) return pkg;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Whether the importing package itself declares `path` absent in browsers (`"browser": { path: false }`). */
export function disabledByImporter(path: string, importer: string): boolean {
  if (path.startsWith('node:') || !importer) return false;
  const browser = owningPackage(importer)?.browser;
  return typeof browser === 'object' && browser !== null && (browser as Record<string, unknown>)[path] === false;
}

export function noNodePlugin(): Plugin {
  return {
    name: 'rdl-no-node',
    setup(build) {
      // Every import specifier, before any other resolution (bare names and node: alike).
      build.onResolve({ filter: /.*/ }, (args) => {
        const why = nodeOnlyReason(args.path);
        if (why === undefined || (!args.path.endsWith('.node') && disabledByImporter(args.path, args.importer))) return undefined;
        return {
          errors: [
            { text: `browser bundle imports ${why} (from ${args.importer || 'the entry'}); give that package a browser entry instead` },
          ],
        };
      });
      // A path that resolves to a native addon under another name (e.g. a package's main).
      build.onLoad({ filter: /\.node$/ }, (args) => ({ errors: [{ text: `browser bundle loads the native addon ${args.path}` }] }));
    },
  };
}
