import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { RunStall } from '../../core/stall';
import type { FollowItem } from '../follow-with-stalls';
import { readStall } from '../stall';
import { executionHistory } from './history';

const { PendingWorkflowTaskState, PendingActivityState } = temporal.api.enums.v1;

/** How long a step may sit scheduled with no worker taking it before watchers are told none is running. */
const NO_WORKER_AFTER_MS = 5_000;

export interface HistoryFollowOptions {
  after: number;
  signal: AbortSignal;
  /** Told when no worker takes the run's work (and when one does again): the run waits, safe in Temporal. */
  onWaiting?: (waiting: boolean, detail: string) => void;
}

/**
 * A run's events above `after` and its stalls, from its history (see history.ts), until the run
 * finishes or ends from outside. Follows continue-as-new into each next execution. Its calls do
 * not depend on a worker: Temporal answers them from what it has written, so a stopped worker
 * only means nothing new comes (and watchers are told why).
 */
export async function* followHistory(client: Client, runId: string, options: HistoryFollowOptions): AsyncGenerator<FollowItem> {
  const { signal, onWaiting } = options;
  const handle = client.workflow.getHandle(runId);
  let position = options.after;
  let stall: RunStall | null = null;
  let waiting = false;
  let execution: string | null = (await handle.describe()).runId;

  /** What history does not say: whether the run is stalled, whether any worker takes its work. */
  async function* look(): AsyncGenerator<FollowItem> {
    const view = await handle.describe();
    const now = await readStall(handle, view);
    if (JSON.stringify(now) !== JSON.stringify(stall)) {
      stall = now;
      yield { type: 'stall', stall };
    }
    const absent = stall ? null : workerAbsence(view);
    if ((absent !== null) !== waiting) onWaiting?.((waiting = absent !== null), absent ?? 'a worker is taking the run’s work again');
  }

  while (execution && !signal.aborted) {
    const current: string = execution;
    execution = null;
    for await (const item of executionHistory(client, runId, current, { wait: true, signal })) {
      if (item.type === 'published') {
        // A step completed: the workers are there and the run is not stalled.
        if (stall) yield { type: 'stall', stall: (stall = null) };
        if (waiting) onWaiting?.((waiting = false), 'a worker is taking the run’s work again');
        for (const event of item.events) {
          if (event.seq <= position) continue;
          position = event.seq;
          yield { type: 'event', event };
          if (event.type === 'run_finished') return;
        }
      } else if (item.type === 'idle' || item.type === 'task-failed') {
        yield* look();
      } else if (item.type === 'closed') {
        execution = item.next;
      }
    }
  }
}

/** Why the run's work sits untaken, if it does: a step scheduled for a while that no worker started. */
export function workerAbsence(view: WorkflowExecutionDescription, now = Date.now()): string | null {
  if (view.status.name !== 'RUNNING') return null;
  const task = view.raw.pendingWorkflowTask;
  const since: number[] = [];
  if (task?.state === PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED) since.push(msOf(task.scheduledTime));
  for (const activity of view.raw.pendingActivities ?? []) {
    if (activity.state !== PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED) continue;
    // An activity between attempts is waiting on its retry policy, not on a worker, until its next attempt is due.
    since.push(msOf(activity.nextAttemptScheduleTime ?? activity.scheduledTime));
  }
  const known = since.filter((t) => t > 0);
  if (known.length === 0) return null;
  const waited = now - Math.min(...known);
  if (waited < NO_WORKER_AFTER_MS) return null;
  return `no worker has taken the run's work on task queue "${view.taskQueue}" for ${Math.round(waited / 1_000)} s; the run waits, safe in Temporal, until one starts`;
}

function msOf(time: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return time ? Number(time.seconds ?? 0) * 1_000 + Math.floor((time.nanos ?? 0) / 1e6) : 0;
}
