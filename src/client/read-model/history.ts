import type { Client } from '@temporalio/client';
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import type { RunEvent } from '../../core/events';
import { isRunHead, type RunHead } from '../../core/run-head';

const EventType = temporal.api.enums.v1.EventType;

/** What reading a run's history needs of a client: a Client, or a workflow handle's `client`. */
export interface HistoryReader {
  workflowService: Client['workflowService'];
  connection: Client['connection'];
  options: { namespace: string; loadedDataConverter: LoadedDataConverter };
}
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** What one execution's history tells a reader, in order. */
export type HistoryItem =
  /** The run published its read model (workflows/read-model.ts): the events since its last, and its head. */
  | { type: 'published'; events: RunEvent[]; head: RunHead | null }
  /** A workflow task failed: the run may be stalling (see stall.ts; Temporal writes only the first failure). */
  | { type: 'task-failed' }
  /** The execution ended; `next` is the execution it continued as, if it did. */
  | { type: 'closed'; execution: ExecutionEnd; next: string | null }
  /** Nothing new within the long poll's wait: a chance to look at what history does not say (stalls, workers). */
  | { type: 'idle' };

export type ExecutionEnd = 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TERMINATED' | 'TIMED_OUT' | 'CONTINUED_AS_NEW';

export interface HistoryOptions {
  /** Wait for new events once the history read so far is exhausted (a long poll), until the execution closes. */
  wait: boolean;
  signal?: AbortSignal;
  /** How long one long poll waits before it answers `idle`. Default 3 s. */
  idleMs?: number;
}

const ENDS: [temporal.api.enums.v1.EventType, ExecutionEnd][] = [
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, 'COMPLETED'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, 'FAILED'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, 'CANCELLED'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, 'TERMINATED'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, 'TIMED_OUT'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, 'CONTINUED_AS_NEW'],
];
const END_OF = new Map(ENDS);

/**
 * One execution's history as a reader needs it: Temporal's history service answers it from what
 * it has written, never asking a worker, so a busy or stopped worker cannot hold a reader up.
 * With `wait`, it goes on with long polls (waitNewEvent): the server answers as soon as the run
 * writes more, so a follower hears a step the moment it completes, with no polling interval.
 */
export async function* executionHistory(
  client: HistoryReader,
  workflowId: string,
  runId: string,
  options: HistoryOptions,
): AsyncGenerator<HistoryItem> {
  const { wait, signal, idleMs = 3_000 } = options;
  const service = client.workflowService;
  let nextPageToken: Uint8Array | undefined;
  let transientFailures = 0;
  for (;;) {
    if (signal?.aborted) return;
    const ask = () =>
      service.getWorkflowExecutionHistory({
        namespace: client.options.namespace,
        execution: { workflowId, runId },
        nextPageToken,
        waitNewEvent: wait,
        maximumPageSize: 1_000,
      });
    let response: temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryResponse;
    // Each call its own signal, tied to the caller's for the call's length: the SDK adds a listener
    // per call to the signal it is given, and a follower makes thousands of calls.
    const call = new AbortController();
    const abort = () => call.abort();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      response = await client.connection.withAbortSignal(call.signal, () =>
        wait ? client.connection.withDeadline(Date.now() + idleMs, ask) : ask(),
      );
    } catch (err) {
      if (signal?.aborted) return;
      if (wait && isDeadline(err)) {
        yield { type: 'idle' };
        continue;
      }
      // A long poll the server cut or could not serve just now (CANCELLED, UNAVAILABLE on an
      // overloaded server): asked again after a pause, rather than ending every watcher of the run.
      if (wait && isTransient(err) && transientFailures++ < MAX_TRANSIENT_FAILURES) {
        await pause(Math.min(2_000, 100 * transientFailures), signal);
        continue;
      }
      throw err;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
    transientFailures = 0;
    const events = response.history?.events ?? [];
    for (const event of events) {
      const item = await itemOf(client, event);
      if (item) yield item;
      if (item?.type === 'closed') return;
    }
    if (!response.nextPageToken?.length) return;
    nextPageToken = response.nextPageToken;
    if (wait && events.length === 0) yield { type: 'idle' };
  }
}

async function itemOf(client: HistoryReader, event: HistoryEvent): Promise<HistoryItem | null> {
  const type = event.eventType ?? EventType.EVENT_TYPE_UNSPECIFIED;
  if (type === EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED) {
    const fields = event.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields;
    const memo = await decodeMapFromPayloads(client.options.loadedDataConverter, fields ?? {});
    if (!memo || !Array.isArray(memo.events)) return null; // a status-only upsert of a run without the read model
    return { type: 'published', events: memo.events as RunEvent[], head: isRunHead(memo.read) ? memo.read : null };
  }
  if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED || type === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT)
    return { type: 'task-failed' };
  const end = END_OF.get(type);
  if (!end) return null;
  const next =
    event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ??
    event.workflowExecutionFailedEventAttributes?.newExecutionRunId ??
    null;
  return { type: 'closed', execution: end, next: next || null };
}

/** The execution an execution continued from, if any: where a reader reaching back for older events goes next. */
export async function previousExecution(client: HistoryReader, workflowId: string, runId: string): Promise<string | null> {
  const response = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 1,
  });
  const started = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  return started?.continuedExecutionRunId || null;
}

/** How many cut long polls in a row a follower takes before it gives up (about a minute of them). */
const MAX_TRANSIENT_FAILURES = 40;

/** CANCELLED (not by us: our signal was checked), UNAVAILABLE, RESOURCE_EXHAUSTED. */
function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 1 || code === 14 || code === 8;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function isDeadline(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 4; // DEADLINE_EXCEEDED
}
