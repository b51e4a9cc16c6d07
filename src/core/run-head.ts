import { eventRecord } from './carry-over';
import type { RunEvent } from './events';
import type { PendingInput } from './human';
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

/**
 * The most of a pending request's prompt the read model keeps. A prompt may quote a message (a
 * handoff's is the message's question, an approval's quotes the last one), and a message's text is
 * in a run's history once, as its activity's result: the read model, written into history at each
 * step, keeps a bounded quote, as the status memo and push deliveries do. The whole message is in
 * the conversation.
 */
export const PROMPT_CHARS = 2_000;

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
    snapshot: {
      ...snapshot,
      lastMessage: snapshot.lastMessage && recordOf(snapshot.lastMessage),
      pendingInput: snapshot.pendingInput && quoted(snapshot.pendingInput),
    },
    tail,
    pushConfigs: state.pushConfigs ?? [],
  };
}

/** A request with its prompt cut to PROMPT_CHARS, marked as cut. */
function quoted(request: PendingInput): PendingInput {
  return request.prompt.length > PROMPT_CHARS ? { ...request, prompt: `${request.prompt.slice(0, PROMPT_CHARS)}…` } : request;
}

/** An event as the read model publishes it: a message by its record, a request's prompt quoted. */
function published(event: RunEvent): RunEvent {
  const record = eventRecord(event);
  return record.type === 'input_requested' ? { ...record, request: quoted(record.request) } : record;
}

/** The events numbered above `after`, as records, at most MAX_EVENTS_PER_PUBLICATION (the newest). */
export function eventsToPublish(state: RunState, after: number): RunEvent[] {
  return state.events
    .filter((e) => e.seq > after)
    .slice(-MAX_EVENTS_PER_PUBLICATION)
    .map(published);
}

/** Whether a memo value is a head this code can read. */
export function isRunHead(value: unknown): value is RunHead {
  return typeof value === 'object' && value !== null && (value as RunHead).v === 1 && typeof (value as RunHead).snapshot === 'object';
}
