import type { RunState } from '../core/state';
import { spendOf } from '../core/budget';

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
