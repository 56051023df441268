import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the `rdl-source` export
// condition, so tests never need a build first.
export default defineConfig({
  resolve: { conditions: ['rdl-source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['rdl-source', 'module', 'node', 'import', 'default'], externalConditions: ['rdl-source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
