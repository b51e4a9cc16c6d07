import { patched, upsertMemo } from '@temporalio/workflow';
import type { RunState } from '../src/core/state';
import { statusMemoOf } from '../src/visibility/run-memo';

/**
 * The marker of the change that started keeping the run's status in its memo. Runs begun before
 * it have no marker in their history and replay without the memo upserts (see the recorded
 * histories in test/fixtures/histories: the pre-memo ones still replay).
 */
export const STATUS_MEMO_PATCH = 'status-memo';

/**
 * Keeps the run's status in its memo, which Temporal's visibility store returns with every
 * listing: `list --waiting` and A2A's ListTasks see statuses without asking a worker.
 */
export function statusMemoKeeper(): (state: RunState) => void {
  const enabled = patched(STATUS_MEMO_PATCH);
  return (state) => {
    if (enabled) upsertMemo({ ...statusMemoOf(state) });
  };
}
