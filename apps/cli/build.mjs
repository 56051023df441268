// Bundles the CLI and the workspace packages it uses; npm dependencies stay external.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: ['src/rdl.ts'],
  // Split at the dynamic imports of rdl.ts, so `rdl cache serve` loads the server alone, not the
  // pipelines and their npm packages (dist/rdl.mjs stays the entry; chunks sit next to it).
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['rdl-source'],
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-npm',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@rdl/') ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});
chmodSync('dist/rdl.mjs', 0o755);
