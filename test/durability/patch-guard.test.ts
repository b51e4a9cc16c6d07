import { join } from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { Configuration } from 'webpack';
import { installRuntimeLogging } from '../../src/logging/runtime-logging';
import { WORKFLOWS_PATH } from '../../src/worker/worker-options';
import { loadHistories } from './histories';
import { STATUS_MEMO_PATCH } from '../../workflows/status-memo';
import type { History } from '@temporalio/common/lib/proto-utils';

/** webpack as the Temporal bundler uses it (a dependency of @temporalio/worker, not of ours). */
const webpack = require(require.resolve('webpack', { paths: [require.resolve('@temporalio/worker')] })) as typeof import('webpack');

const FIXTURES = join(__dirname, '..', 'fixtures', 'versioning');
const quiet = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: console.error,
  log: () => undefined,
};

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
 * code"): the status memo came in behind `patched('status-memo')`. Histories recorded before the
 * change and after it are replayed against the steps of that patch's life, to show what each
 * step may and may not do.
 *
 * Which histories each step needs:
 * - before-status-memo/: the runs begun before the change, with no marker. Every step is judged
 *   on them: without the guard, and once the patch is deprecated, they no longer replay.
 * - every folder recorded since (the top folder, before-conversation-store/ and older shapes):
 *   runs that carry the marker, the ones in flight whenever a step ships. A step must keep all of
 *   them replaying, whatever shape later changes gave them, so each step replays every one.
 *   (The steps keep today's code apart from the memo, so the conversation-store marker in the
 *   top folder's histories is met as it is in production.)
 */
describe('the status-memo patch, step by step', () => {
  const histories = loadHistories();
  const BEFORE = 'before-status-memo';
  const since = [...new Set(histories.map((h) => h.dir))].filter((dir) => dir !== BEFORE);
  beforeAll(() => installRuntimeLogging('ERROR'));

  async function replayFailures(bundle: { code: string }, dirs: string[]): Promise<string[]> {
    const failures: string[] = [];
    // One folder at a time: the same run id may be in several folders.
    for (const dir of dirs) {
      const batch = histories.filter((h) => h.dir === dir).map(({ originalId, history }) => ({ workflowId: originalId, history }));
      expect(batch.length).toBeGreaterThan(0);
      for await (const result of Worker.runReplayHistories(
        { workflowBundle: bundle, replayName: `status-memo-${dir || 'current'}` },
        batch,
      )) {
        if (result.error) failures.push(`${dir}/${result.workflowId}: ${result.error.name}`);
      }
    }
    return failures;
  }
  const count = (dirs: string[]) => histories.filter((h) => dirs.includes(h.dir)).length;

  it('finds the marker in every history but those recorded before the change', () => {
    expect(since).toEqual(expect.arrayContaining(['', 'before-conversation-store']));
    for (const h of histories) expect([h.workflowId, markedWith(h.history, STATUS_MEMO_PATCH)]).toEqual([h.workflowId, h.dir !== BEFORE]);
  });

  it('without the guard, the change breaks every run begun before it, and the marker-carrying runs too', async () => {
    const unguarded = await bundleWithStatusMemo('status-memo-unguarded.ts');
    const old = await replayFailures(unguarded, [BEFORE]);
    expect(old).toHaveLength(count([BEFORE]));
    expect(old.every((f) => f.endsWith('DeterminismViolationError'))).toBe(true);
    // A patch marker in a history must be met by patched() or deprecatePatch(): dropping the
    // guard in one step breaks the runs begun after the change as well.
    expect(await replayFailures(unguarded, since)).toHaveLength(count(since));
  }, 180_000);

  it('with deprecatePatch (once no run from before is open), marker-carrying runs replay and older ones would not', async () => {
    const deprecated = await bundleWithStatusMemo('status-memo-deprecated.ts');
    expect(await replayFailures(deprecated, since)).toEqual([]);
    expect(await replayFailures(deprecated, [BEFORE])).toHaveLength(count([BEFORE]));
  }, 180_000);
});

/** Does the history hold the marker of patch `id` (patched() or deprecatePatch() met it)? */
function markedWith(history: History, id: string): boolean {
  return (history.events ?? []).some((e) => {
    const marker = e.markerRecordedEventAttributes;
    const data = marker?.markerName === 'core_patch' ? marker.details?.['patch-data']?.payloads?.[0]?.data : undefined;
    return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id === id : false;
  });
}
