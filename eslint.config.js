// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const { builtinModules } = require('node:module');

// Workflow code must replay deterministically: no Node built-ins, no I/O clients, no activity or
// worker APIs. core/ and spec/ are imported by workflows, so the same holds for them.
const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);
const notInWorkflows = [
  ...nodeBuiltins.map((name) => ({ name, message: 'workflow code is replayed: no Node built-ins here' })),
  { name: 'openai', message: 'model calls belong in activities/' },
  { name: '@temporalio/activity', message: 'activity APIs are not for workflow code' },
  { name: '@temporalio/client', message: 'the client is not for workflow code' },
  { name: '@temporalio/worker', message: 'the worker is not for workflow code' },
  { name: '@temporalio/testing', message: 'testing APIs are not for workflow code' },
];

module.exports = tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.temporal-cli/**',
      '.temporal-server/**',
      '.temporal-server-quick/**',
      '.venvs/**',
      'coverage/**',
      'eslint.config.js',
      'jest.config.js',
      'jest.quick.config.js',
      'test/fixtures/**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The front end's request paths: a promise handed where nothing awaits it (an async listener,
    // a callback whose result is dropped) fails unseen, as an unhandled rejection that ends the
    // process. Tests keep the looser setting above.
    files: ['src/**/*.ts'],
    rules: { '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: true }] },
  },
  {
    // Build scripts are plain ES modules run by Node, outside every tsconfig: linted without types.
    files: ['scripts/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { console: 'readonly', process: 'readonly', performance: 'readonly' },
    },
  },
  {
    // Jest loads its reporters as plain CommonJS: linted without types too.
    files: ['test/setup/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', process: 'readonly' },
    },
  },
  {
    files: ['workflows/**/*.ts', 'src/core/**/*.ts', 'src/spec/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: notInWorkflows }] },
  },
  {
    // The activity contract's schemas are the workers' (src/contract): workflow code and core take
    // its types only, so no schema rides in the workflow bundle and core stays free of zod.
    files: ['workflows/**/*.ts', 'src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/contract/*'],
              allowTypeImports: true,
              message: 'import the activity contract with `import type`: its schemas are for the activities',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: notInWorkflows,
          patterns: [{ group: ['@temporalio/*', 'zod', 'yaml'], message: 'core is plain TypeScript with no dependencies' }],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'core takes randomness from its caller' },
        { object: 'Date', property: 'now', message: 'core takes time from its caller (workflow time in a workflow)' },
      ],
      // new Date(ms) only formats a time it is given; new Date() would read the clock.
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core takes time from its caller' },
      ],
    },
  },
);
