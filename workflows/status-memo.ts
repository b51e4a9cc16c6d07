import { patched, upsertMemo } from '@temporalio/workflow';
import type { RunState } from '../src/core/state';
import { spendOf } from '../src/core/budget';

/**
 * The marker of the change that started keeping the run's status in its memo. Runs begun before
 * it have no marker in their history and replay without the memo upserts (see the recorded
 * histories in test/fixtures/histories: the pre-memo ones still replay).
 */
export const STATUS_MEMO_PATCH = 'status-memo';

export interface StatusMemo {
  status: RunState['status'];
  /** When the status last changed (epoch ms, workflow time). */
  updatedAt?: number;
  /** The pending request's id, kind and the start of its prompt, while the run waits on a person. */
  waiting: { requestId: string; kind: string; prompt: string } | null;
  /** A budgeted run's tokens and dollars spent, as of its last status change. Absent without a budget. */
  spend?: { totalTokens: number; costUsd: number };
}

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

/**
 * The memo a run starts with, set by whoever starts it (TeamClient, or an outer run starting a
 * nested team): listings show it `submitted` before its first status change.
 */
export function initialRunMemo(
  team: string,
  contextId: string | null,
): { team: string; status: 'submitted'; waiting: null; contextId: string | null } {
  return { team, status: 'submitted', waiting: null, contextId };
}

/** The memo for a run's state: its status, and the start of what it waits for. */
export function statusMemoOf(state: RunState): StatusMemo {
  const pending = state.pendingInput;
  return {
    status: state.status,
    updatedAt: state.updatedAt,
    waiting: pending ? { requestId: pending.requestId, kind: pending.kind, prompt: pending.prompt.slice(0, 200) } : null,
    ...(state.budget ? { spend: spendInMemo(state.budget) } : {}),
  };
}

/** The memo keeps the two figures `list` shows; the limits are in the run's state. */
function spendInMemo(budget: NonNullable<RunState['budget']>): NonNullable<StatusMemo['spend']> {
  const { totalTokens, costUsd } = spendOf(budget);
  return { totalTokens, costUsd };
}
