import { statusOfClosedExecution, type ClosedExecutionStatus, type RunStatus } from '../core/status';
import type { StatusMemo } from '../visibility/run-memo';

/** What Temporal's describe and list calls say of an execution. */
export interface ExecutionView {
  status: { name: string };
  memo?: Record<string, unknown>;
}

/** The status memo a run keeps (see src/visibility/run-memo.ts), if it has one. */
export function readStatusMemo(view: ExecutionView): StatusMemo | null {
  const memo = view.memo as Partial<StatusMemo> | undefined;
  return memo && typeof memo.status === 'string' ? (memo as StatusMemo) : null;
}

/**
 * A run's status without asking a worker: its memo knows it exactly while the workflow ran it;
 * Temporal knows better only when the workflow was stopped from outside (terminated, timed out).
 */
export function runStatusOf(view: ExecutionView): RunStatus {
  const name = view.status.name as ClosedExecutionStatus | 'RUNNING';
  const memo = readStatusMemo(view);
  if (name === 'TERMINATED' || name === 'TIMED_OUT') return 'failed';
  if (memo) return memo.status;
  if (name === 'RUNNING') return 'working';
  return name === 'COMPLETED' ? 'completed' : statusOfClosedExecution(name);
}
