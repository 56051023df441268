import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { browserOptions } from '../../src/build/bundle.js';
import { nodeOnlyReason, noNodePlugin } from '../../src/build/no-node-plugin.js';

const dir = mkdtempSync(join(tmpdir(), 'rdl-no-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles `source` as a browser entry in `dir`, with the site's options and the plugin. */
function bundle(source: string, resolveDir = dir) {
  return build({
    ...browserOptions(),
    stdin: { contents: source, resolveDir, loader: 'ts' },
    write: false,
    logLevel: 'silent',
    plugins: [noNodePlugin()],
  });
}

/** A package in dir/node_modules/<name> whose index requires `fs`, with or without a browser field. */
function plantPackage(name: string, browser: Record<string, false> | undefined): void {
  const root = join(dir, 'node_modules', name);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name, main: 'index.js', ...(browser ? { browser } : {}) }));
  writeFileSync(join(root, 'index.js'), "module.exports = typeof process === 'object' ? require('fs').existsSync : () => false;\n");
}

describe('noNodePlugin', () => {
  it('names node: imports, bare built-ins (and their subpaths) and .node addons; passes everything else', () => {
    expect(nodeOnlyReason('node:fs')).toMatch(/Node built-in "node:fs"/);
    expect(nodeOnlyReason('worker_threads')).toMatch(/Node built-in/);
    expect(nodeOnlyReason('fs/promises')).toMatch(/Node built-in/);
    expect(nodeOnlyReason('./binding.node')).toMatch(/native addon/);
    expect(nodeOnlyReason('@tensorflow/tfjs-core')).toBeUndefined();
    expect(nodeOnlyReason('./path-utils.js')).toBeUndefined();
  });

  it('fails a browser build on a planted node: import', async () => {
    await expect(bundle("import { readFileSync } from 'node:fs'; console.log(readFileSync);")).rejects.toThrow(
      /browser bundle imports the Node built-in "node:fs"/,
    );
  });

  it('fails on a bare built-in and on a native addon', async () => {
    await expect(bundle("import { Worker } from 'worker_threads'; console.log(Worker);")).rejects.toThrow(/Node built-in "worker_threads"/);
    writeFileSync(join(dir, 'addon.node'), 'not really an addon');
    await expect(bundle("import addon from './addon.node'; console.log(addon);")).rejects.toThrow(/native addon/);
  });

  it('fails on a package that requires a built-in, unless its own browser field declares it absent', async () => {
    plantPackage('needs-fs', undefined);
    await expect(bundle("import f from 'needs-fs'; console.log(f);")).rejects.toThrow(/Node built-in "fs" \(from .*needs-fs/);
    plantPackage('declares-no-fs', { fs: false });
    const ok = await bundle("import f from 'declares-no-fs'; console.log(f);");
    expect(ok.errors).toEqual([]);
  });

  it('lets a clean browser module through', async () => {
    const ok = await bundle("import { createRng } from '@rdl/core'; console.log(createRng(1).next());", import.meta.dirname);
    expect(ok.errors).toEqual([]);
  });
});
