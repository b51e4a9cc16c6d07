// @ts-check
const { relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
/** @type {Record<string, number>} seconds per file, from a whole run (see slowest-files.js to record them again) */
const FILE_TIMES = require('./file-times.json');

/**
 * Failed files first, then the slowest first, so that no long file starts late and runs alone at
 * the end; the cluster tests last: CI builds the Temporal server they need while the rest of the
 * suite runs (see .ci/run), and they wait for that build when they start. A file's time is Jest's
 * own (its cache of earlier runs here), else the one recorded in file-times.json: a fresh clone
 * (CI) has no cache, and Jest would then order by file size. A file recorded nowhere goes first,
 * as Jest puts new files.
 */
class SlowestFirst extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  async sort(tests) {
    const sorted = await super.sort(tests); // fills each test's duration from Jest's cache, where it has one
    /** @param {import('@jest/test-result').Test} test */
    const seconds = (test) =>
      test.duration != null ? test.duration / 1000 : (FILE_TIMES[relative(test.context.config.rootDir, test.path)] ?? Infinity);
    /** @param {import('@jest/test-result').Test} test */
    const cluster = (test) => /[\\/]test[\\/]cluster[\\/]/.test(test.path);
    const ordered = [...sorted].sort((a, b) => Number(this.hasFailed(b)) - Number(this.hasFailed(a)) || seconds(b) - seconds(a));
    return [...ordered.filter((t) => !cluster(t)), ...ordered.filter(cluster)];
  }
}

module.exports = SlowestFirst;
