// Lint: type-aware rules that catch the bugs that matter in async code, and the layer rule:
// imports point one way only, bot -> features -> agents -> core -> services.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import house from './scripts/eslint/function-size.js';

/** Each layer and the layers above it, which it must never import. */
const layers = [
  { target: './services', above: ['./core', './agents', './features', './bot'] },
  { target: './core', above: ['./agents', './features', './bot'] },
  { target: './agents', above: ['./features', './bot'] },
  { target: './features', above: ['./bot'] },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'generated/**', 'data/**', 'dist/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test() returns a promise the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
    },
  },
  {
    // One Redis factory (services/redis.ts): every client gets the Sentinel settings, none is built by hand.
    files: ['**/*.ts'],
    ignores: ['services/redis.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'ioredis',
              allowTypeImports: true,
              message: 'create Redis clients with createRedis() of services/redis.ts (one factory, Sentinel-aware)',
            },
          ],
        },
      ],
    },
  },
  {
    // Size: no source file over 400 lines, no function over 80 lines of its own.
    files: ['services/**/*.ts', 'core/**/*.ts', 'agents/**/*.ts', 'features/**/*.ts', 'bot/**/*.ts'],
    ignores: ['services/i18n/catalog/**'],
    plugins: { house },
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      'house/function-size': ['error', { max: 80 }],
    },
  },
  {
    files: ['services/**/*.ts', 'core/**/*.ts', 'agents/**/*.ts', 'features/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js', '.mjs'] } } },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: layers.map(({ target, above }) => ({
            target,
            from: above,
            message: 'imports point one way: bot -> features -> agents -> core -> services (docs/architecture.md)',
          })),
        },
      ],
    },
  },
);
