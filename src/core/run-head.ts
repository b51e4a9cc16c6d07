import { eventRecord } from './carry-over';
import type { RunEvent } from './events';
import type { ChatMessage } from './messages';
import type { PushConfig } from './push';
import { snapshotOf, type RunSnapshot, type RunState } from './state';
import { recordOf, storedCount } from './stored-messages';

/**
 * A run's read model as the workflow publishes it (see workflows/read-model.ts): everything a
 * reader needs of a run in flight without asking the workflow. It holds records, not text: a
 * message's text is in the conversation store, read by whoever shows it.
 *
 * - `snapshot`: the run's status, turn, usage, stall-free state, what it waits on;
 * - `tail`: the records no activity has written to the store yet (the store has the rest);
 * - `pushConfigs`: its A2A push configs (secrets sealed, as in the run's input).
 */
export interface RunHead {
  v: 1;
  snapshot: RunSnapshot;
  tail: ChatMessage[];
  pushConfigs: PushConfig[];
}

/** The newest records a head keeps: more than any step leaves unwritten, so none is lost in practice. */
export const MAX_TAIL_RECORDS = 200;

/** The most events one publication carries: a run that gains the read model mid-way starts with a gap, not a flood. */
export const MAX_EVENTS_PER_PUBLICATION = 200;

export function runHeadOf(state: RunState): RunHead {
  const snapshot = snapshotOf(state);
  const stored = storedCount(state);
  const tail = state.messages
    .filter((m) => m.index >= stored)
    .slice(-MAX_TAIL_RECORDS)
    .map(recordOf);
  return {
    v: 1,
    snapshot: { ...snapshot, lastMessage: snapshot.lastMessage && recordOf(snapshot.lastMessage) },
    tail,
    pushConfigs: state.pushConfigs ?? [],
  };
}

/** The events numbered above `after`, as records, at most MAX_EVENTS_PER_PUBLICATION (the newest). */
export function eventsToPublish(state: RunState, after: number): RunEvent[] {
  return state.events
    .filter((e) => e.seq > after)
    .slice(-MAX_EVENTS_PER_PUBLICATION)
    .map(eventRecord);
}

/** Whether a memo value is a head this code can read. */
export function isRunHead(value: unknown): value is RunHead {
  return typeof value === 'object' && value !== null && (value as RunHead).v === 1 && typeof (value as RunHead).snapshot === 'object';
}
