/**
 * The quick tier (`npm run test:quick`), for before each commit: the pure parts (core, spec, unit
 * tests of the rest) and the replay of every recorded history. No Temporal server, no processes,
 * no browser; CI runs these again inside the whole suite.
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/durability/replay.test.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
};
