/**
 * `npx nx run web:build` builds the site into apps/web/dist (with the weights of
 * `rdl web export` when artifacts/web/model/model.js exists); `npx nx run web:serve` serves it
 * with esbuild's own static server and prints the URL; `npx nx run web:open` (after its `export`
 * dependency) builds, serves and opens the pages in the default browser.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context } from 'esbuild';
import open from 'open';
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

async function serveCommand(): Promise<string> {
  if (!existsSync(join(outDir, 'index.html'))) throw new Error(`${outDir} has no site: run npx nx run web:build first`);
  const port = Number(process.env.PORT ?? 8080);
  const ctx = await context({});
  const { hosts, port: actual } = await ctx.serve({ servedir: outDir, port });
  const url = `http://${hosts[0] ?? 'localhost'}:${actual}/`;
  process.stdout.write(`web: serving ${outDir} at ${url} (Ctrl-C stops)\n`);
  return url;
}

/** Build, serve, and open the index in the default browser; a machine without one gets the URL to open. */
async function openCommand(): Promise<void> {
  await buildCommand();
  const url = await serveCommand();
  const failed = (why: string): void => void process.stdout.write(`web: could not open a browser (${why}): open ${url} yourself\n`);
  try {
    const launcher = await open(url);
    // The launcher (xdg-open, open, start) exits at once; a non-zero code means no browser was found (a headless machine).
    launcher.once('exit', (code) => {
      if (code === 0) process.stdout.write(`web: opened ${url} in the default browser\n`);
      else failed(`the launcher exited with code ${code}`);
    });
    launcher.once('error', (err) => failed(err.message));
  } catch (err) {
    failed(err instanceof Error ? err.message : String(err));
  }
}

const command = process.argv[2];
try {
  if (command === 'build') await buildCommand();
  else if (command === 'serve') await serveCommand();
  else if (command === 'open') await openCommand();
  else throw new Error(`usage: main.ts build|serve|open (got "${command ?? ''}")`);
} catch (err) {
  process.stderr.write(`web: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
