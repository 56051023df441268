#!/usr/bin/env node
// The command behind every stage's Nx target: `launch-stage.mjs <args of run-stage.ts>`. It bundles
// run-stage.ts and the workspace code it imports with esbuild, then runs the bundle in this
// process. Loading ~150 TypeScript modules one by one through tsx's loader hooks cost ≈ 2.3 s of
// CPU per stage process; one bundle loads in ≈ 0.3 s. The bundle is built from the files on disk
// at every launch (≈ 0.2 s), so it can never be older than the sources Nx hashed for the key.
// Each module keeps its own `import.meta.url` (stages name their module by it; the worker pool
// finds its worker modules by it), and npm packages stay external, loaded as before.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const entry = join(root, 'packages', 'pipeline', 'src', 'bin', 'run-stage.ts');
const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.js': 'js', '.mjs': 'js' };

/** Workspace modules keep their own URL; npm packages and Node builtins stay outside the bundle. */
const keepModuleIdentity = {
  name: 'rdl-keep-module-identity',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@rdl/') ? undefined : { path: args.path, external: true }));
    b.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const url = JSON.stringify(pathToFileURL(args.path).href);
      const extension = args.path.slice(args.path.lastIndexOf('.'));
      return { contents: source.replaceAll('import.meta.url', url), loader: LOADERS[extension] };
    });
  },
};

let bundle;
try {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['rdl-source'],
    plugins: [keepModuleIdentity],
    // RDL_DEBUG prints stacks: then they name the source files and lines.
    sourcemap: process.env.RDL_DEBUG ? 'inline' : false,
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0].contents;
} catch (error) {
  process.stderr.write(`rdl: could not bundle ${entry}: ${error.message}\n`);
  process.exit(1);
}
// Under node_modules, so the bundle's npm imports resolve as the sources' do; named by content,
// written whole (rename) so concurrent stages never read a partial file.
const dir = join(root, 'node_modules', '.cache', 'rdl-stage');
const file = join(dir, `run-stage-${createHash('sha256').update(bundle).digest('hex').slice(0, 16)}.mjs`);
mkdirSync(dir, { recursive: true });
const temporary = `${file}.${process.pid}.tmp`;
writeFileSync(temporary, bundle);
renameSync(temporary, file);
if (process.env.RDL_DEBUG) process.setSourceMapsEnabled(true);
await import(pathToFileURL(file).href);
