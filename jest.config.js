/**
 * Tests are transpiled only (SWC): `npm test` type-checks every file, tests included, with tsc
 * before Jest starts, so checking types again per file in the transform would prove nothing new.
 */
const swc = (extra = {}) => [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022', keepClassNames: true, ...extra },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': swc(),
    // The A2A SDK's CommonJS build requires jose, which ships ES modules only. Node 20.19+ loads
    // that itself; Jest (before Node 24.9) does not, so jose is compiled to CommonJS for tests.
    '/node_modules/jose/.+\\.js$': swc({ parser: { syntax: 'ecmascript' } }),
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testSequencer: '<rootDir>/test/setup/sequencer.js',
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 60_000,
  // Most test time is waiting (on Temporal, on scripted model latency, on processes), so files run
  // three at a time on two cores; each worker is a process of its own, recycled once it holds more
  // than a gigabyte, so what one file leaks is not carried into the next (in band, the suite's
  // one process once ran out of heap).
  maxWorkers: 3,
  workerIdleMemoryLimit: '1GB',
  // The slowest files of every run, printed after the summary, so growth is seen where it happens.
  reporters: ['default', ['<rootDir>/test/setup/slowest-files.js', { count: 10 }]],
};
