import type { RunEvent } from './events';
import type { ChatMessage } from './messages';
import type { RunState } from './state';

export interface EventPage {
  events: RunEvent[];
  /** Number of the newest event the run has. */
  lastSeq: number;
  /** True when events after `after` were dropped (a long run carried only recent ones): read the state instead. */
  gap: boolean;
}

/** Events numbered above `after`, oldest first, at most `limit`. */
export function eventsAfter(state: RunState, after: number, limit = 500): EventPage {
  const first = state.events[0]?.seq ?? state.nextEventSeq;
  const events = state.events.filter((e) => e.seq > after).slice(0, limit);
  return { events, lastSeq: state.nextEventSeq - 1, gap: after + 1 < first };
}

export interface TranscriptPage {
  messages: ChatMessage[];
  /** Messages in the whole conversation. */
  total: number;
  /**
   * The run holds every message from this index on; those below it are read from the
   * conversation store (runs begun before the store dropped them, save the task).
   */
  firstRetained: number;
}

/** Messages with index >= `from`, at most `limit`, of those the run holds. */
export function transcriptPage(state: RunState, from = 0, limit = 1_000): TranscriptPage {
  const messages = state.messages.filter((m) => m.index >= from).slice(0, limit);
  return { messages, total: state.messageCount, firstRetained: heldTailStart(state.messages, state.messageCount) };
}

/** A page of the messages a run holds (its newest, unbroken up to `total`), as a reader of its read model has them. */
export function heldPage(messages: ChatMessage[], total: number): TranscriptPage {
  return { messages, total, firstRetained: heldTailStart(messages, total) };
}

/** Where the run's unbroken run of held messages up to the newest begins. */
export function heldTailStart(messages: readonly ChatMessage[], total: number): number {
  let start = total;
  for (let i = messages.length - 1; i >= 0 && messages[i]!.index === start - 1; i--) start -= 1;
  return start;
}

/** The newest `count` messages: all of them when `count` is undefined, none when it is 0 or less. */
export function newestMessages(messages: ChatMessage[], count: number | undefined): ChatMessage[] {
  return count === undefined ? messages : count <= 0 ? [] : messages.slice(-count);
}
