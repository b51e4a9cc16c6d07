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

/**
 * The house's floors, bottom first: code in a room may import rooms on its own floor and below,
 * never above, so the arrows run one way (the README's Layout tells what each room is). Types may
 * cross (they load nothing at run time); values may not. A new room must be placed here.
 */
const FLOORS = [
  // Pure: no I/O, no clock, no dependencies; workflows run it.
  ['src/core', 'src/spec/plain'],
  // The team file's schema, what a run shows Temporal's visibility store, and small shared parts.
  ['src/spec', 'src/contract', 'src/visibility', 'src/secrets', 'src/http', 'src/tools', 'src/telemetry', 'src/paths.ts'],
  ['src/store', 'src/config'],
  ['src/logging'],
  // Clients of the world outside: models, remote agents, agent memory, live previews, MCP servers.
  ['src/model', 'src/remote', 'src/memory', 'src/live', 'src/faults', 'src/mcp'],
  // Where a store URL is opened once for all who keep things there: conversations, memory, live.
  ['src/site'],
  // What Temporal runs (workflows deterministic, activities thin) and the process without Temporal.
  ['src/steps', 'workflows', 'activities', 'src/local'],
  // Temporal: what client and worker share, then each of them.
  ['src/temporal'],
  ['src/client', 'src/worker'],
  // The front end: who may call, the A2A handling, the console, the server that serves them.
  ['src/access'],
  ['src/a2a'],
  ['src/console-api'],
  ['src/server', 'src/files'],
  // Entry points.
  ['src/testing', 'src/cli', 'src/entry', 'src/index.ts'],
];

/** The import paths (relative, from anywhere in the tree) that reach a room. */
const reaching = (room) => {
  const name = room
    .replace(/^src\//, '')
    .replace(/\.ts$/, '')
    .replace('/', '\\/');
  const prefix = room.startsWith('src/') ? '(src\\/)?' : '';
  // spec/plain is a floor below the rest of spec.
  const rest = room === 'src/spec' ? '(\\/(?!plain\\/)|$)' : '(\\/|$)';
  return `^(\\.\\.\\/)+${prefix}${name}${rest}`;
};

/** What a room may take from below beyond the floors' rule: values only from the rooms named. */
const ONLY_TYPES_BUT = {
  // Core and workflows run in the workflow sandbox: spec's modules load Zod.
  'src/core': {
    regex: '^(\\.\\.\\/)+spec\\/(?!plain\\/)',
    why: "spec's modules load Zod: take their types, and plain functions from spec/plain/",
  },
  'src/spec/plain': { regex: '^\\.\\.\\/', why: 'spec/plain takes only types from the Zod modules beside it' },
  workflows: {
    regex: '^\\.\\.\\/src\\/(?!core\\/|spec\\/plain\\/|visibility\\/)',
    why: 'workflow code is replayed: from src/ it takes values only from core, spec/plain and visibility',
  },
};

/** One lint block per room: it may not take values from the rooms on the floors above its own. */
const floorRules = FLOORS.flatMap((rooms, floor) => {
  const above = FLOORS.slice(floor + 1).flat();
  return rooms.map((room) => ({
    files: [room.endsWith('.ts') ? room : `${room}/**/*.ts`],
    ignores: room === 'src/spec' ? ['src/spec/plain/**'] : [],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            // Nothing imports the library's entry point; its name would catch every folder's index.
            ...above
              .filter((other) => other !== 'src/index.ts')
              .map((other) => ({
                regex: reaching(other),
                allowTypeImports: true,
                message: `${other} is on a floor above ${room} (see FLOORS in eslint.config.js): pass what is needed down, or move the shared part below both`,
              })),
            ...(ONLY_TYPES_BUT[room]
              ? [{ regex: ONLY_TYPES_BUT[room].regex, allowTypeImports: true, message: ONLY_TYPES_BUT[room].why }]
              : []),
          ],
        },
      ],
    },
  }));
});

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
  ...floorRules,
);
