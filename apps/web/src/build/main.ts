/**
 * `npx nx run web:build` builds the site into apps/web/dist (with the weights of
 * `rdl web export` when artifacts/web/model/model.js exists); `npx nx run web:serve` serves it
 * with esbuild's own static server and prints the URL.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context } from 'esbuild';
import { buildSite } from './bundle.js';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workspaceRoot = resolve(appDir, '..', '..');
const outDir = join(appDir, 'dist');
/** Where `rdl web export` writes the weights by default. */
export const MODEL_DIR = join(workspaceRoot, 'artifacts', 'web', 'model');

async function buildCommand(): Promise<void> {
  const started = Date.now();
  const modelDir = existsSync(join(MODEL_DIR, 'model.js')) ? MODEL_DIR : undefined;
  const files = await buildSite({ appDir, outDir, modelDir });
  process.stdout.write(`web: built ${files.join(', ')} into ${outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (!modelDir)
    process.stdout.write(`web: no ${join(MODEL_DIR, 'model.js')}: the digit lab will say it has no weights (run \`npx rdl web export\`)\n`);
  process.stdout.write(`web: open file://${join(outDir, 'index.html')}\n`);
}

async function serveCommand(): Promise<void> {
  if (!existsSync(join(outDir, 'index.html'))) throw new Error(`${outDir} has no site: run npx nx run web:build first`);
  const port = Number(process.env.PORT ?? 8080);
  const ctx = await context({});
  const { hosts, port: actual } = await ctx.serve({ servedir: outDir, port });
  process.stdout.write(`web: serving ${outDir} at http://${hosts[0] ?? 'localhost'}:${actual}/ (Ctrl-C stops)\n`);
}

const command = process.argv[2];
try {
  if (command === 'build') await buildCommand();
  else if (command === 'serve') await serveCommand();
  else throw new Error(`usage: main.ts build|serve (got "${command ?? ''}")`);
} catch (err) {
  process.stderr.write(`web: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
