// Bundles the CLI and the workspace packages it uses into one file; npm dependencies stay external.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

await build({
  entryPoints: ['src/rdl.ts'],
  outfile: 'dist/rdl.mjs',
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
