// @ts-check
/**
 * A Jest reporter that prints the slowest test files of the run, with their times, after the
 * summary: the suite's time is watched where it grows, file by file, on every run (CI included).
 */
class SlowestFiles {
  /** @param {unknown} _globalConfig @param {{ count?: number }} options */
  constructor(_globalConfig, options = {}) {
    this.count = options.count ?? 10;
    /** @type {{ path: string, ms: number }[]} */
    this.files = [];
  }

  /** @param {unknown} _test @param {{ testFilePath: string, perfStats: { start: number, end: number } }} result */
  onTestResult(_test, result) {
    this.files.push({ path: result.testFilePath, ms: result.perfStats.end - result.perfStats.start });
  }

  onRunComplete() {
    if (this.files.length === 0) return;
    const root = `${process.cwd()}/`;
    const slowest = [...this.files].sort((a, b) => b.ms - a.ms).slice(0, this.count);
    const total = this.files.reduce((sum, f) => sum + f.ms, 0);
    const lines = slowest.map((f) => `${(f.ms / 1000).toFixed(1).padStart(7)} s  ${f.path.replace(root, '')}`);
    process.stderr.write(
      `\nSlowest ${slowest.length} of ${this.files.length} test files (${(total / 1000).toFixed(0)} s of file time in all):\n${lines.join('\n')}\n`,
    );
  }
}

module.exports = SlowestFiles;
