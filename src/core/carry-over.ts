import type { RunEvent } from './events';
import { isConversational, type ChatMessage } from './messages';
import type { RunState } from './state';
import { recordOf, storedCount } from './stored-messages';

/** How much of a run's past continue-as-new carries into the next execution. */
export interface CarryLimits {
  /**
   * Runs begun before the conversation store only: characters of message content kept, the
   * oldest messages going first. Runs with the store keep every message there and carry none.
   */
  maxMessageChars: number;
  /** Newest events kept for followers that are behind. */
  maxEvents: number;
}

/** Older runs carried their messages in the continue-as-new input, which Temporal caps at 2 MB. */
export const DEFAULT_CARRY_LIMITS: CarryLimits = { maxMessageChars: 1_000_000, maxEvents: 200 };

/**
 * The state a run continues with after continue-as-new. Every message is in the conversation
 * store or on its way there: the new execution carries only records (no text) of the messages no
 * activity has written yet, of the newest message, and of each participant's last message (a
 * nested run answers with its last agent's). Events carry their messages as records too. So the input stays small,
 * however long the run.
 */
export function carryOver(state: RunState, limits: CarryLimits = DEFAULT_CARRY_LIMITS): RunState {
  const stored = storedCount(state);
  const lastWords = lastWordsOf(state.messages);
  // The newest message too: it is the snapshot's last message.
  const newest = state.messageCount - 1;
  const carried = state.messages.filter((m) => m.index >= stored || m.index === newest || lastWords.has(m)).map(recordOf);
  return {
    ...state,
    messages: carried,
    events: newestEvents(state.events, limits.maxEvents).map(eventRecord),
    continuedAsNew: state.continuedAsNew + 1,
  };
}

/**
 * The carry of runs begun before the conversation store (no `patched` marker): the task and the
 * newest messages within the budget. Kept so those runs go on as they ran.
 */
export function legacyCarryOver(state: RunState, limits: CarryLimits = DEFAULT_CARRY_LIMITS): RunState {
  const [task, ...rest] = state.messages;
  let budget = limits.maxMessageChars - (task?.content.length ?? 0);
  let keepFrom = rest.length;
  while (keepFrom > 0 && budget - rest[keepFrom - 1]!.content.length >= 0) {
    keepFrom -= 1;
    budget -= rest[keepFrom]!.content.length;
  }
  return {
    ...state,
    messages: task ? [task, ...rest.slice(keepFrom)] : [],
    events: newestEvents(state.events, limits.maxEvents),
    continuedAsNew: state.continuedAsNew + 1,
  };
}

// slice(-0) would keep every event
const newestEvents = (events: RunEvent[], max: number) => (max > 0 ? events.slice(-max) : []);

/** An event as carried (and as the read model keeps it): a message by its record, the task's text left to the first message. */
export function eventRecord(event: RunEvent): RunEvent {
  if (event.type === 'message') return { ...event, message: recordOf(event.message) };
  if (event.type === 'run_started' && event.task) return { ...event, task: '' };
  return event;
}

/** Each author's newest message to the team: as many as the team has members, at most. */
export function lastWordsOf(messages: readonly ChatMessage[]): Set<ChatMessage> {
  const newest = new Map<string, ChatMessage>();
  for (const m of messages) if (isConversational(m)) newest.set(m.source, m);
  return new Set(newest.values());
}
