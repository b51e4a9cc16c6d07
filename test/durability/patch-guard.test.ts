import { join } from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { Configuration } from 'webpack';
import { installRuntimeLogging } from '../../src/logging/runtime-logging';
import { WORKFLOWS_PATH } from '../../src/temporal/worker-options';
import { loadHistories } from './histories';

/** webpack as the Temporal bundler uses it (a dependency of @temporalio/worker, not of ours). */
const webpack = require(require.resolve('webpack', { paths: [require.resolve('@temporalio/worker')] })) as typeof import('webpack');

const FIXTURES = join(__dirname, '..', 'fixtures', 'versioning');
const quiet = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: console.error, log: () => undefined };

/** The workflows bundled with workflows/status-memo.ts replaced by one of the fixtures' versions of it. */
async function bundleWithStatusMemo(fixture: string): Promise<{ code: string }> {
  const bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    // Every importer in workflows/ (team-run.ts, nested-team.ts) gets the fixture, as it would
    // the module had it shipped so; the fixture is the real module with statusMemoKeeper swapped,
    // and its own import of the real one ('../../../workflows/status-memo') does not match.
    webpackConfigHook: (config: Configuration) => ({
      ...config,
      plugins: [...(config.plugins ?? []), new webpack.NormalModuleReplacementPlugin(/^\.\/status-memo$/, join(FIXTURES, fixture))],
    }),
    logger: quiet,
  });
  expect(bundle.code).toContain(fixture); // the replacement took: a renamed module would make the steps prove nothing
  return bundle;
}

/**
 * The worked example of changing workflow code under runs in flight (README, "Changing workflow
 * code"): the status memo came in behind `patched('status-memo')`. The recorded histories from
 * before the change (before-status-memo/) and after it (the top folder) are replayed against the
 * steps of that patch's life, to show what each step may and may not do.
 */
describe('the status-memo patch, step by step', () => {
  const histories = loadHistories();
  beforeAll(() => installRuntimeLogging('ERROR'));

  async function replayFailures(bundle: { code: string }, dir: string): Promise<string[]> {
    const batch = histories.filter((h) => h.dir === dir).map(({ originalId, history }) => ({ workflowId: originalId, history }));
    expect(batch.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, replayName: `status-memo-${dir || 'after'}` }, batch)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}`);
    }
    return failures;
  }
  const before = () => histories.filter((h) => h.dir === 'before-status-memo').length;
  const after = () => histories.filter((h) => h.dir === '').length;

  it('without the guard, the change breaks every run begun before it, and the marker-carrying runs too', async () => {
    const unguarded = await bundleWithStatusMemo('status-memo-unguarded.ts');
    const old = await replayFailures(unguarded, 'before-status-memo');
    expect(old).toHaveLength(before());
    expect(old.every((f) => f.endsWith('DeterminismViolationError'))).toBe(true);
    // A patch marker in a history must be met by patched() or deprecatePatch(): dropping the
    // guard in one step breaks the runs begun after the change as well.
    expect(await replayFailures(unguarded, '')).toHaveLength(after());
  }, 120_000);

  it('with deprecatePatch (once no run from before is open), marker-carrying runs replay and older ones would not', async () => {
    const deprecated = await bundleWithStatusMemo('status-memo-deprecated.ts');
    expect(await replayFailures(deprecated, '')).toEqual([]);
    expect(await replayFailures(deprecated, 'before-status-memo')).toHaveLength(before());
  }, 120_000);
});
