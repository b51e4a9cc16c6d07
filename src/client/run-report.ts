import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import type { ChatMessage } from '../core/messages';
import { forkOriginOf, type ForkOrigin } from '../core/fork';
import type { RunSnapshot } from '../core/state';
import type { RunStatus } from '../core/status';
import { newestMessages } from '../core/paging';
import { runViewQuery, type TeamRunResult } from '../../workflows/definitions';
import { isNoWorkerAnswer, isWorkflowTaskFailingAnswer } from '../temporal/errors';
import type { ConversationStore } from '../store/conversation-store';
import { newestWhole, wholeResult, wholeSnapshot } from './conversation-reader';
import { runStatusOf, readStatusMemo } from '../temporal/run-status';
import { readRunStarter, type RunStarter } from '../temporal/run-starter';
import { readStall, type RunStall } from './stall';
import { headOf } from './read-model/published';

/**
 * Everything a reader can learn of a run, whatever its state: the workflow's own snapshot and
 * messages from its result, its failure or its read model, and always what Temporal itself keeps
 * (status memo, times). A2A's GetTask and ListTasks are built on it.
 */
export interface RunReport {
  runId: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, ... */
  execution: string;
  status: RunStatus;
  team: string | null;
  contextId: string | null;
  /** Who started it over A2A, from its memo; null when the CLI or an outer run did. */
  startedBy: RunStarter | null;
  taskQueue: string;
  startedAt: Date;
  updatedAt: Date;
  /** The workflow's own view; null when no worker could answer for a run in flight. */
  snapshot: RunSnapshot | null;
  messages: ChatMessage[];
  waiting: { requestId: string; kind: string; prompt: string } | null;
  /** Set on a fork, from its memo: the run it began from and the turn (see core/fork.ts). */
  forkedFrom: ForkOrigin | null;
  /** Set while the run's workflow task keeps failing: its status then says `working` but nothing moves. */
  stall: RunStall | null;
}

/** Runs a query under the client's deadline for queries. */
type WithQueryDeadline = <T>(call: () => Promise<T>) => Promise<T>;

async function viaQuery(handle: WorkflowHandle, withDeadline: WithQueryDeadline, historyLength?: number) {
  try {
    return await withDeadline(() => handle.query(runViewQuery, { historyLength }));
  } catch (err) {
    // A stalled run cannot be asked either (Temporal refuses): the report's `stall` says why.
    if (isNoWorkerAnswer(err) || isWorkflowTaskFailingAnswer(err)) return null;
    throw err;
  }
}

export async function readRunReport(
  handle: WorkflowHandle,
  runId: string,
  withDeadline: WithQueryDeadline,
  store: ConversationStore,
  historyLength?: number,
): Promise<RunReport> {
  const view = await handle.describe();
  const memo = readStatusMemo(view);
  const base = {
    runId,
    execution: view.status.name,
    status: runStatusOf(view),
    team: typeof view.memo?.team === 'string' ? view.memo.team : null,
    contextId: typeof view.memo?.contextId === 'string' ? view.memo.contextId : null,
    startedBy: readRunStarter(view),
    taskQueue: view.taskQueue,
    startedAt: view.startTime,
    updatedAt: new Date(memo?.updatedAt ?? (view.closeTime ?? view.startTime).getTime()),
    waiting: memo?.waiting ?? null,
    forkedFrom: forkOriginOf(view.memo?.forkedFrom),
    stall: await readStall(handle, view),
  };
  let own: { snapshot: RunSnapshot; messages: ChatMessage[] } | null = null;
  if (view.status.name === 'COMPLETED') {
    const result = await wholeResult(store, runId, (await handle.result()) as TeamRunResult);
    own = { snapshot: result.snapshot, messages: newestMessages(result.messages, historyLength) };
  } else {
    // The read model (see read-model/), asked of nobody; a run begun before it that has not moved since, by query.
    const head = headOf(view);
    const held = head ? { snapshot: head.snapshot, messages: head.tail } : await viaQuery(handle, withDeadline, historyLength);
    if (held) {
      const { snapshot } = held;
      own = {
        snapshot: await wholeSnapshot(store, snapshot),
        messages: await newestWhole(store, runId, held.messages, snapshot.messageCount, historyLength),
      };
    } else if (view.status.name === 'FAILED') {
      own = await failureSnapshot(handle, store);
    }
  }
  if (!own) return { ...base, snapshot: null, messages: [] };
  // Stopped from outside (terminated, timed out), the workflow never recorded its end.
  const status = view.status.name === 'TERMINATED' || view.status.name === 'TIMED_OUT' ? 'failed' : own.snapshot.status;
  return { ...base, status, snapshot: own.snapshot, messages: own.messages, updatedAt: new Date(own.snapshot.updatedAt) };
}

async function failureSnapshot(
  handle: WorkflowHandle,
  store: ConversationStore,
): Promise<{ snapshot: RunSnapshot; messages: ChatMessage[] } | null> {
  const failed = await failedRunSnapshot(handle);
  if (!failed) return null;
  const snapshot = await wholeSnapshot(store, failed);
  return { snapshot, messages: snapshot.lastMessage ? [snapshot.lastMessage] : [] };
}

/** A failed run carries its last snapshot in the failure's details. */
export async function failedRunSnapshot(handle: WorkflowHandle): Promise<RunSnapshot | null> {
  try {
    await handle.result();
  } catch (err) {
    const details = err instanceof WorkflowFailedError ? (err.cause as { details?: unknown[] } | undefined)?.details : undefined;
    const snapshot = details?.[0] as RunSnapshot | undefined;
    if (snapshot && typeof snapshot === 'object' && 'runId' in snapshot) return snapshot;
  }
  return null;
}
