// Builds one workspace package: esbuild bundles src/ into dist/index.js (dependencies stay
// external, so the package installs and resolves them on its own), tsc writes declarations.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entries = pkg.rdlEntries ?? ['src/index.ts'];
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: false,
  logLevel: 'warning',
});
const tsc = join(root, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
// Hand-written declarations of plain-JS modules are not emitted by tsc: ship them as they are.
for (const file of readdirSync(join(root, 'src'), { recursive: true })) {
  if (String(file).endsWith('.d.mts')) cpSync(join(root, 'src', String(file)), join(root, 'dist', String(file)));
}
