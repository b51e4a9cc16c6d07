// @ts-check
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Jest's order (failed first, then slowest first by its timings cache, else largest first), with
 * the cluster tests last: CI builds the Temporal server they need while the rest of the suite
 * runs (see .ci/run), and they wait for that build when they start.
 */
class ClusterLast extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  async sort(tests) {
    const sorted = await super.sort(tests);
    const cluster = (/** @type {import('@jest/test-result').Test} */ test) => /[\\/]test[\\/]cluster[\\/]/.test(test.path);
    return [...sorted.filter((t) => !cluster(t)), ...sorted.filter(cluster)];
  }
}

module.exports = ClusterLast;
