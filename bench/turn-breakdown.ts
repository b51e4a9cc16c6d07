import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { fmt, median, percentile } from './stats';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const T = temporal.api.enums.v1.EventType;

/** The parts of one step (an activity and the workflow task that follows it), timed from history. */
export const TURN_PARTS = {
  dispatch: 'activity scheduled -> started (dispatch to a worker)',
  activity: 'activity started -> completed (its work: model call, store, live)',
  wake: 'activity completed -> workflow task started',
  decide: 'workflow task started -> completed (the workflow code, and the round trip)',
} as const;
export type TurnPart = keyof typeof TURN_PARTS;

/**
 * Where each step of these runs spent its time, as the server recorded it: every activity, from
 * its scheduling to the completion of the workflow task that took its result. Server times, so
 * the figures are the run's own, without the client's polling for the result.
 */
export async function turnBreakdown(client: Client, runIds: string[]): Promise<Record<TurnPart, number[]>> {
  const parts: Record<TurnPart, number[]> = { dispatch: [], activity: [], wake: [], decide: [] };
  for (const runId of runIds) {
    const events = (await client.workflow.getHandle(runId).fetchHistory()).events ?? [];
    const at = (e: HistoryEvent) => Number(e.eventTime!.seconds) * 1_000 + (e.eventTime!.nanos ?? 0) / 1e6;
    const byId = new Map(events.map((e) => [String(e.eventId), e]));
    for (let i = 0; i < events.length; i++) {
      const done = events[i]!;
      if (done.eventType !== T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) continue;
      const attrs = done.activityTaskCompletedEventAttributes!;
      const scheduled = byId.get(String(attrs.scheduledEventId));
      const started = byId.get(String(attrs.startedEventId));
      const taskStarted = events.slice(i + 1).find((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_STARTED);
      const taskDone = events.slice(i + 1).find((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      if (!scheduled || !started || !taskStarted || !taskDone) continue;
      parts.dispatch.push(at(started) - at(scheduled));
      parts.activity.push(at(done) - at(started));
      parts.wake.push(at(taskStarted) - at(done));
      parts.decide.push(at(taskDone) - at(taskStarted));
    }
  }
  return parts;
}

/** The breakdown of durable turns beside the floor's steps, a line per part, p50 and p99. */
export function logBreakdown(log: (line: string) => void, turn: Record<TurnPart, number[]>, floor: Record<TurnPart, number[]>): void {
  log('one step, timed from history: durable turn | floor activity (p50 / p99)');
  for (const [part, what] of Object.entries(TURN_PARTS) as [TurnPart, string][]) {
    const side = (samples: number[]) => `${fmt(median(samples))} / ${fmt(percentile(samples, 99))}`;
    log(`  ${what.padEnd(72)} ${side(turn[part])} | ${side(floor[part])}`);
  }
}
