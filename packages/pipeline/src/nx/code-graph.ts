import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, extname, join, relative, resolve as resolvePath } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';

/**
 * What a piece of code can run, found by bundling it with esbuild (nothing is written): the
 * workspace files whose code is left in the bundle after tree shaking, the npm packages it
 * imports or loads by name, and the modules it starts at run time, followed to a fixed point.
 */
export interface CodeGraph {
  /** Workspace files, relative to the root, sorted: the code left after tree shaking, plus files loaded by URL. */
  files: string[];
  /** npm packages (names, sorted) the code imports, statically or dynamically, or names as a string to load or read. */
  externals: string[];
  /** Workspace packages (folder names under packages/) with code in `files`. */
  packages: string[];
  /** Extra entry points analysed because the code starts them at run time (relative to the root). */
  runtimeEntries: string[];
}

export interface CodeGraphOptions {
  /** Absolute paths of modules that are not followed: they are external to the bundle, and listed in `files`. */
  boundaries?: ReadonlySet<string>;
  /** Absolute paths of modules that are not followed and not listed (they belong to someone else's graph). */
  excluded?: ReadonlySet<string>;
}

interface WorkspacePackage {
  dir: string;
  name: string;
  /** Dependencies a module of this package may load: dependencies, optional and peer. */
  declared: string[];
  /** Extra entry points (package.json `rdlEntries`) other than the main export. */
  extraEntries: string[];
}

/** Node builtins through which code starts another module as a thread or a process. */
const STARTERS = new Set(['worker_threads', 'child_process']);
const CODE = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

const toPosix = (file: string): string => file.split('\\').join('/');

/** The npm package a bare specifier names (`@scope/name/sub` → `@scope/name`), or undefined. */
export function packageOf(specifier: string): string | undefined {
  if (/^[./]/.test(specifier) || /^[a-z]+:/i.test(specifier) || isBuiltin(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function readWorkspacePackages(root: string): Map<string, WorkspacePackage> {
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
  const out = new Map<string, WorkspacePackage>();
  for (const dir of rootManifest.workspaces ?? []) {
    const file = join(root, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      exports?: Record<string, unknown>;
      rdlEntries?: string[];
    };
    const main = (pkg.exports?.['.'] as Record<string, string> | undefined)?.['rdl-source'];
    const mainFile = main ? resolvePath(root, dir, main) : undefined;
    out.set(toPosix(dir), {
      dir: toPosix(dir),
      name: pkg.name,
      declared: [
        ...Object.keys(pkg.dependencies ?? {}),
        ...Object.keys(pkg.optionalDependencies ?? {}),
        ...Object.keys(pkg.peerDependencies ?? {}),
      ],
      // A browser build's entry (the `browser` export condition) never runs in a Node stage.
      extraEntries: (pkg.rdlEntries ?? [])
        .map((e) => resolvePath(root, dir, e))
        .filter((e) => e !== mainFile && !browserSources(pkg.exports).some((b) => resolvePath(root, dir, b) === e)),
    });
  }
  return out;
}

/** The source files an `exports` map serves under the `browser` condition. */
function browserSources(exports: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  for (const target of Object.values(exports ?? {})) {
    if (typeof target !== 'object' || target === null) continue;
    const browser = (target as Record<string, unknown>).browser;
    if (typeof browser === 'object' && browser !== null) {
      const source = (browser as Record<string, unknown>)['rdl-source'];
      if (typeof source === 'string') out.push(source);
    }
  }
  return out;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Analyses `entries` (absolute paths) and everything they start at run time:
 *
 * - esbuild bundles them with the `rdl-source` condition, npm packages external; a file counts
 *   only when some of its code is left in the bundle (`bytesInOutput > 0`), so a barrel that
 *   re-exports a module does not drag that module in (the packages' `sideEffects` declarations
 *   make this safe: tests/side-effects.test.ts checks them);
 * - npm packages count when the bundle imports them, or when a bundled file of a workspace
 *   package holds the name of one of that package's declared dependencies as a string (a module
 *   loaded through a variable, data files read from a package's folder);
 * - modules started at run time are analysed as entries too: files a bundled module names by
 *   `new URL('./relative', …)`, and, when the bundle can start threads or processes, the extra
 *   `rdlEntries` of every workspace package it reaches. Non-code files named by URL are listed.
 */
export async function analyseCode(root: string, entries: string[], options: CodeGraphOptions = {}): Promise<CodeGraph> {
  const workspace = readWorkspacePackages(root);
  const boundaries = options.boundaries ?? new Set<string>();
  const excluded = options.excluded ?? new Set<string>();
  const packageOfFile = (rel: string): WorkspacePackage | undefined => {
    for (const pkg of workspace.values()) if (rel.startsWith(`${pkg.dir}/`)) return pkg;
    return undefined;
  };
  const stopAt: Plugin = {
    name: 'stop-at-boundaries',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        const target = resolvePath(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        if (excluded.has(target)) return { path: target, external: true };
        if (!boundaries.has(target)) return undefined;
        reachedBoundaries.add(target);
        return { path: target, external: true };
      });
    },
  };
  const externalNpm: Plugin = {
    name: 'external-npm',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@rdl/') ? undefined : { path: args.path, external: true }));
    },
  };
  const reachedBoundaries = new Set<string>();
  const allEntries = new Set(entries);
  const files = new Set<string>();
  const externals = new Set<string>();
  const runtimeEntries = new Set<string>();
  for (let round = 0; ; round++) {
    if (round > 10) throw new Error(`code analysis of ${entries.join(', ')} does not settle`);
    const result = await build({
      entryPoints: [...allEntries],
      bundle: true,
      write: false,
      metafile: true,
      outdir: join(root, '.rdl-analysis'),
      platform: 'node',
      format: 'esm',
      conditions: ['rdl-source'],
      absWorkingDir: root,
      logLevel: 'silent',
      plugins: [stopAt, externalNpm],
    });
    let startsModules = false;
    const bundled = new Set<string>();
    for (const output of Object.values(result.metafile.outputs as Metafile['outputs'])) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) if (bytesInOutput > 0) bundled.add(toPosix(input));
      for (const imported of output.imports) {
        if (!imported.external) continue;
        const bare = imported.path.replace(/^node:/, '');
        if (STARTERS.has(bare)) startsModules = true;
        const name = packageOf(imported.path);
        if (name) externals.add(name);
      }
    }
    const found = new Set<string>();
    const reachedPackages = new Set<WorkspacePackage>();
    for (const rel of bundled) {
      files.add(rel);
      const pkg = packageOfFile(rel);
      if (!pkg) continue;
      reachedPackages.add(pkg);
      const text = readFileSync(join(root, rel), 'utf8');
      // A declared dependency named as a string: loaded through a variable, or read by path.
      for (const dep of pkg.declared) {
        if (dep.startsWith('@rdl/')) continue;
        if (new RegExp(`(['"\`])${escape(dep)}(/[^'"\`]*)?\\1`).test(text)) externals.add(dep);
      }
      // Workspace packages named as strings (e.g. resolved at run time) count as reached.
      for (const match of text.matchAll(/['"`](@rdl\/[a-z0-9-]+)/g)) {
        for (const other of workspace.values()) if (other.name === match[1]) reachedPackages.add(other);
      }
      // Files named by `new URL('./relative', …)`: worker scripts, data, binaries.
      for (const match of text.matchAll(/new URL\(\s*(['"`])(\.{1,2}\/[^'"`$]+)\1/g)) {
        const target = resolvePath(root, dirname(rel), match[2]!);
        const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts')];
        const existing = candidates.find((c) => existsSync(c));
        if (existing) found.add(existing);
      }
    }
    if (startsModules) for (const pkg of reachedPackages) for (const entry of pkg.extraEntries) found.add(entry);
    let grew = false;
    for (const file of found) {
      const rel = toPosix(relative(root, file));
      if (rel.startsWith('..') || excluded.has(file)) continue;
      if (CODE.has(extname(file)) && !file.endsWith('.d.ts') && !file.endsWith('.d.mts')) {
        if (!allEntries.has(file)) {
          allEntries.add(file);
          runtimeEntries.add(rel);
          grew = true;
        }
      } else {
        files.add(rel);
      }
    }
    if (!grew) break;
  }
  for (const boundary of reachedBoundaries) files.add(toPosix(relative(root, boundary)));
  const packages = new Set<string>();
  for (const rel of files) {
    const match = /^packages\/([^/]+)\//.exec(rel);
    if (match) packages.add(match[1]!);
  }
  return {
    files: [...files].sort(),
    externals: [...externals].sort(),
    packages: [...packages].sort(),
    runtimeEntries: [...runtimeEntries].sort(),
  };
}
