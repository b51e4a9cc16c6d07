import type { Context } from '@temporalio/activity';

/** How long asking Temporal whether the run is still open may take. */
const DESCRIBE_DEADLINE_MS = 2_000;

/**
 * Reasons for which Temporal cancels an attempt but tries the activity again (a timed-out
 * attempt, a worker shutting down, a pause or reset): the next attempt follows the same remote
 * task from the heartbeat, so cancelling it would fail a turn the run still wants.
 */
const RETRY_FOLLOWS = new Set(['TIMED_OUT', 'WORKER_SHUTDOWN', 'PAUSED', 'RESET']);

/** Why the worker cancelled the current activity: the CancelledFailure's message (CANCELLED, NOT_FOUND, ...). */
export function cancelReasonOf(ctx: Context): string {
  const reason: unknown = ctx.cancellationSignal.reason;
  return reason instanceof Error ? reason.message : String(reason);
}

/**
 * Whether the run has no more use for the activity's work, so what it started elsewhere (a remote
 * task) should be cancelled. CANCELLED: the run asked. NOT_FOUND: the heartbeat found no such
 * activity, because the run has closed (cancelled without waiting, terminated, timed out) or
 * because a newer attempt superseded this one; Temporal tells which.
 */
export async function runGaveUpOnActivity(ctx: Context): Promise<boolean> {
  const reason = cancelReasonOf(ctx);
  if (reason === 'CANCELLED') return true;
  if (RETRY_FOLLOWS.has(reason)) return false;
  const run = ctx.info.workflowExecution;
  if (!run) return true;
  try {
    // The activity's own client calls are tied to its (fired) signal: this one gets a deadline instead.
    const client = ctx.client;
    const { status } = await client.withAbortSignal(AbortSignal.timeout(DESCRIBE_DEADLINE_MS), () =>
      client.workflow.getHandle(run.workflowId, run.runId).describe(),
    );
    return status.name !== 'RUNNING';
  } catch {
    return true; // not knowing, the remote is told: a run that is gone must not leave work running
  }
}

/**
 * What an activity throws once it is cancelled: the cancellation (the signal's CancelledFailure),
 * whatever error the call it interrupted threw ("Request was aborted", a tool's own error), so
 * that Temporal records it cancelled, not failed.
 */
export function asCancellation(ctx: Context, err: unknown): unknown {
  const reason: unknown = ctx.cancellationSignal.reason;
  return ctx.cancellationSignal.aborted && reason instanceof Error ? reason : err;
}
