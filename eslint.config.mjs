// ESLint for the whole workspace. Each Nx project gets a cached `lint` target from @nx/eslint/plugin
// (nx.json), which runs `eslint .` in the project's folder with this one config.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import checkFile from 'eslint-plugin-check-file';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Which workspace packages each scope may import: data flows one way (docs: README "Style"). */
const allowed = {
  'scope:core': [],
  'scope:data': ['scope:core'],
  'scope:runtime': ['scope:core', 'scope:data'],
  'scope:models': ['scope:core', 'scope:data', 'scope:runtime'],
  'scope:uncertainty': ['scope:core', 'scope:data', 'scope:runtime', 'scope:models'],
  'scope:eval': ['scope:core', 'scope:data'],
  'scope:pipeline': ['scope:core', 'scope:data', 'scope:runtime', 'scope:models', 'scope:uncertainty', 'scope:eval'],
  'scope:cli': [
    'scope:core',
    'scope:data',
    'scope:runtime',
    'scope:models',
    'scope:uncertainty',
    'scope:eval',
    'scope:pipeline',
    'scope:cache-server',
  ],
  // The team cache serves files: it must not reach any science package.
  'scope:cache-server': ['scope:core'],
  'scope:web': ['scope:core', 'scope:data', 'scope:runtime', 'scope:models', 'scope:uncertainty', 'scope:eval'],
  // Cross-package tests and workspace scripts may use everything.
  'scope:tests': ['*'],
  'scope:tooling': ['*'],
};

/** npm packages a scope must never import, on top of the workspace constraints above. */
const bannedExternal = {
  'scope:core': ['@tensorflow/*'],
  'scope:eval': ['@tensorflow/*'],
  'scope:cache-server': ['@tensorflow/*'],
};

export const depConstraints = Object.entries(allowed).map(([sourceTag, tags]) => ({
  sourceTag,
  onlyDependOnLibsWithTags: tags,
  ...(bannedExternal[sourceTag] ? { bannedExternalImports: bannedExternal[sourceTag] } : {}),
}));

export default defineConfig(
  globalIgnores(['**/dist/', '**/node_modules/', 'artifacts/', '.nx/', '.tmp/', 'coverage/', 'tests/fixtures/']),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },

  {
    rules: {
      // `_name` marks a parameter or binding kept for its position or shape.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },

  // The scope:* tags of each project (package.json "nx.tags") decide who may import whom.
  {
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      // The rule above catches relative paths into another package; this catches `@rdl/x/src/...`
      // (declared subpath exports such as `@rdl/uncertainty/pure` are public entries, and allowed).
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^@rdl/[^/]+/(src|dist|test)(/|$)', message: 'Import the package entry (`@rdl/x`), not a path inside it.' }],
        },
      ],
    },
  },

  // White-box tests and workspace scripts may reach into a package's sources by path; they ship nowhere.
  {
    files: ['tests/**', 'scripts/**'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: ['^(\\.\\./)+packages/'], depConstraints }],
    },
  },

  // One file-naming convention: kebab-case (`.test`, `.bench`, `.d` middle extensions allowed).
  {
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    plugins: { 'check-file': checkFile },
    rules: {
      'check-file/filename-naming-convention': [
        'error',
        { '**/*.{ts,mts,cts,js,mjs,cjs}': 'KEBAB_CASE' },
        { ignoreMiddleExtensions: true },
      ],
      'check-file/folder-naming-convention': ['error', { '**/': 'KEBAB_CASE' }],
    },
  },
);
