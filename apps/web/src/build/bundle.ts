/**
 * The site build: each page's web worker first (an IIFE script), then each page with its worker
 * inlined, then the static files. Classic scripts, not modules: Chromium refuses module scripts
 * and workers from file:// pages, and the lab must open from the disk too.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { assetsPlugin } from './assets-plugin.js';
import { noNodePlugin } from './no-node-plugin.js';

/** Options every browser bundle shares: the `browser` condition picks the packages' browser entries. */
export function browserOptions(): BuildOptions {
  return {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome110',
    conditions: ['browser', 'rdl-source'],
    mainFields: ['browser', 'module', 'main'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    // @rdl/models names its Node worker module from import.meta.url, which a classic script has
    // not; the browser runtime never starts that worker (lenet-worker-spec.ts handles undefined).
    logOverride: { 'empty-import-meta': 'silent' },
  };
}

export interface SiteBuild {
  appDir: string;
  outDir: string;
  /** Folder of `rdl web export` (model.js); absent = the digit lab states it has no weights. */
  modelDir?: string;
}

const PAGES = ['week2', 'week3'] as const;

export async function buildSite({ appDir, outDir, modelDir }: SiteBuild): Promise<string[]> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const workers: Record<string, string> = {};
  for (const page of PAGES) {
    const result = await build({
      ...browserOptions(),
      entryPoints: [join(appDir, 'src', page, 'worker.ts')],
      write: false,
      outfile: `${page}-worker.js`,
      plugins: [noNodePlugin(), assetsPlugin({})],
    });
    workers[page] = result.outputFiles[0]!.text;
  }
  await build({
    ...browserOptions(),
    entryPoints: Object.fromEntries(PAGES.map((page) => [page, join(appDir, 'src', page, 'page.ts')])),
    outdir: outDir,
    plugins: [noNodePlugin(), assetsPlugin(workers)],
  });
  await cp(join(appDir, 'static'), outDir, { recursive: true });
  const written = [...PAGES.map((p) => `${p}.js`)];
  if (modelDir !== undefined) {
    await mkdir(join(outDir, 'model'), { recursive: true });
    await writeFile(join(outDir, 'model', 'model.js'), await readFile(join(modelDir, 'model.js')));
    written.push('model/model.js');
  }
  return written;
}
