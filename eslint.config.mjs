// ESLint for Topolint: `npm run lint` (eslint . --max-warnings 0), run by .ci/run after the type-check.
//
// The TypeScript is linted with type information. The project service finds each file's tsconfig on its
// own: the root tsconfig.json covers server/src, client/src, shared, test and scripts; media/tsconfig.json
// covers the webview (media/src). The plain JavaScript (scripts/*.mjs, bin/) is in no tsconfig, so it gets
// the rules that need no types.
//
// What is on and why:
// - eslint:recommended and typescript-eslint's recommended: the basics (unused code, unsafe `any`
//   declarations, dead branches), cheap and with few false alarms.
// - Promises (no-floating-promises, no-misused-promises, await-thenable): the language server, the client
//   and the tests are full of async work; a forgotten await loses an error or races a test's assertion, and
//   an async callback where a sync one is expected (an event handler, a forEach) swallows its rejection.
// - switch-exhaustiveness-check: rules, findings and LSP messages are unions of kinds; a new kind must not
//   fall through a switch silently.
// - consistent-type-imports: the core's type-only modules (core/rule.ts) must stay type-only imports, so the
//   bundles and the import-circle test see only the real edges.
// - no-unnecessary-type-assertion: an assertion the types already prove hides the next real change.
// Left out on purpose: the stylistic presets (formatting is not ESLint's job here) and the strict
// `no-unsafe-*` family (the YAML AST and JSON payloads are `unknown`-checked by hand; the rules would flag
// every test's JSON.parse for little gain). prefer-optional-chain is cheap but rewrites working code for
// style, so it is left out too.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    // Build output, bundles, caches and anything generated; the e2e and benchmark caches too.
    ignores: [
      'dist/',
      'out/',
      'media/dist/',
      'node_modules/',
      '.cache/',
      '.vscode-test/',
      'bench-results/',
      'test/fixtures/',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test() and describe() return promises the runner itself awaits and reports; only a
          // subtest (t.test) must be awaited, and that call is still checked.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        // A `default` branch is a deliberate catch-all; only a switch without one must name every case.
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        // `import('x').T` in a type position is type-only by construction and adds no runtime edge, so it
        // is allowed (the lazy require() calls name their module's type that way).
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // The protocol tests match YAML indentation literally; two spaces read better there than ` {2}`.
      'no-regex-spaces': 'off',
      // The parameters tsc already checks (noUnusedParameters, noUnusedLocals); `_` marks one kept on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The plain JavaScript: Node scripts (ES modules) and the CommonJS bin stub.
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The CommonJS files: the bin stub and the benchmark's preload (`node -r` loads CommonJS).
    files: ['bin/**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
