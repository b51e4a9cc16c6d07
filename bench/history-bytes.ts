import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** One execution of a run (a workflow id), with its whole history. */
export interface Execution {
  runId: string;
  events: HistoryEvent[];
}

/**
 * Every execution of a run, oldest first: from the newest back along each history's first event,
 * which names the execution it continued. Followed this way, not listed from visibility, which
 * may lag a second behind a run that just ended.
 */
export async function executionsOf(client: Client, workflowId: string): Promise<Execution[]> {
  const executions: Execution[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: HistoryEvent[] = history.events ?? [];
    executions.unshift({ runId, events });
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return executions;
}

/**
 * The two measures of history size the benchmark reports, always side by side:
 * - `payload`: the bytes of every payload the events carry (data + metadata keys and values):
 *   what the workflow, its activities and its client put in history;
 * - `serialized`: the events as Temporal's protobuf encodes them: payloads plus the events' own
 *   bookkeeping (ids, timestamps, task queue, activity options, workflow-task events).
 */
export interface HistoryBytes {
  payload: number;
  serialized: number;
}

export function bytesOf(events: HistoryEvent[]): HistoryBytes {
  let payload = 0;
  let serialized = 0;
  for (const event of events) {
    payload += payloadBytes(event);
    serialized += temporal.api.history.v1.HistoryEvent.encode(event).finish().length;
  }
  return { payload, serialized };
}

export const sumBytes = (all: HistoryBytes[]): HistoryBytes =>
  all.reduce((sum, b) => ({ payload: sum.payload + b.payload, serialized: sum.serialized + b.serialized }), { payload: 0, serialized: 0 });

/** Payloads are found wherever they sit in an event: any object with `data` bytes and a `metadata` map. */
function payloadBytes(value: unknown): number {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return 0;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + payloadBytes(item), 0);
  const object = value as Record<string, unknown>;
  if (object.data instanceof Uint8Array && object.metadata && typeof object.metadata === 'object') {
    let bytes = object.data.length;
    for (const [key, meta] of Object.entries(object.metadata as Record<string, unknown>)) {
      bytes += Buffer.byteLength(key) + (meta instanceof Uint8Array ? meta.length : 0);
    }
    return bytes;
  }
  let sum = 0;
  for (const key of Object.keys(object)) sum += payloadBytes(object[key]);
  return sum;
}

/**
 * The events of agent turn `turn` (1-based) of one execution: from the ActivityTaskScheduled
 * event of its agentTurn activity up to, not including, the next turn's. That span holds the
 * turn's activity (scheduled, started, completed: input and the reply), the workflow task that
 * took the reply and scheduled the next turn, and anything else the workflow recorded between.
 * Undefined when the execution has no turn after `turn`.
 */
export function turnEvents(events: HistoryEvent[], turn: number): HistoryEvent[] | undefined {
  const starts: number[] = [];
  events.forEach((event, i) => {
    if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'agentTurn') starts.push(i);
  });
  const from = starts[turn - 1];
  const to = starts[turn];
  return from === undefined || to === undefined ? undefined : events.slice(from, to);
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
