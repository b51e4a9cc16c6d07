import type { RunEvent } from '../core/events';
import type { ChatMessage } from '../core/messages';
import { heldTailStart, type EventPage, type TranscriptPage } from '../core/paging';
import type { RunSnapshot } from '../core/state';
import { readFromStore } from '../core/stored-messages';
import type { ConversationStore } from '../store/conversation-store';
import type { TeamRunResult } from '../../workflows/definitions';

/**
 * Readers see whole messages. A run holds the text of what it said in its current execution;
 * everything else (records carried over, stored pages, a finished run's conversation) is read
 * from the conversation store here, so every caller of TeamClient gets the same conversation.
 */

/** The run's snapshot with its last message whole. */
export async function wholeSnapshot(store: ConversationStore, snapshot: RunSnapshot): Promise<RunSnapshot> {
  const last = snapshot.lastMessage && readFromStore(snapshot.lastMessage);
  if (!last?.elided) return snapshot;
  const [lastMessage] = await store.complete(snapshot.runId, [last]);
  return { ...snapshot, lastMessage: lastMessage! };
}

/** Events with their messages whole (a carried event holds its message as a record). */
export async function wholeEvents(store: ConversationStore, runId: string, page: EventPage): Promise<EventPage> {
  const toRead = (e: RunEvent) => e.type === 'message' && readFromStore(e.message).elided === true;
  const records = page.events.flatMap((e) => (e.type === 'message' && toRead(e) ? [readFromStore(e.message)] : []));
  if (records.length === 0) return page;
  const whole = new Map((await store.complete(runId, records)).map((m) => [m.index, m]));
  const events = page.events.map((e): RunEvent => (e.type === 'message' && toRead(e) ? { ...e, message: whole.get(e.message.index)! } : e));
  return { ...page, events };
}

/**
 * Messages `from` on (at most `limit`) of a run in flight: those below what the run holds from
 * the store, the rest from the run, all whole.
 */
export async function wholeTranscript(
  store: ConversationStore,
  runId: string,
  page: TranscriptPage,
  from: number,
  limit: number,
): Promise<TranscriptPage> {
  const end = Math.min(page.total, from + limit);
  const stored = from < page.firstRetained ? await store.read(runId, from, Math.min(page.firstRetained, end)) : [];
  const have = new Set(stored.map((m) => m.index));
  // Held messages the store lacks: a run begun before the store keeps its task only there.
  const held = page.messages.filter((m) => m.index < end && !have.has(m.index)).map(readFromStore);
  const messages = await store.complete(
    runId,
    [...stored, ...held].sort((a, b) => a.index - b.index),
  );
  return { ...page, messages };
}

/** A finished run's conversation, from its index `from`, at most `limit`. */
export async function finishedTranscript(
  store: ConversationStore,
  runId: string,
  result: TeamRunResult,
  from: number,
  limit: number,
): Promise<TranscriptPage> {
  const total = result.snapshot.messageCount;
  if (result.conversation !== 'store') {
    // A run begun before the store: its result holds the conversation (its newest part when long).
    const messages = result.messages.filter((m) => m.index >= from).slice(0, limit);
    return { messages, total, firstRetained: heldTailStart(result.messages, total) };
  }
  return { messages: await store.read(runId, from, Math.min(total, from + limit)), total, firstRetained: 0 };
}

/** The result as callers expect it: the whole conversation in `messages`, the snapshot whole. */
export async function wholeResult(store: ConversationStore, runId: string, result: TeamRunResult): Promise<TeamRunResult> {
  const snapshot = await wholeSnapshot(store, result.snapshot);
  if (result.conversation !== 'store') return { ...result, snapshot };
  const messages = await store.read(runId, 0, result.snapshot.messageCount);
  const answer = result.answer ? (messages.find((m) => m.index === result.answer!.index) ?? null) : null;
  return { ...result, snapshot, messages, answer };
}

/** The newest `count` messages (all when undefined) of a run whose held messages start at `firstRetained`. */
export async function newestWhole(
  store: ConversationStore,
  runId: string,
  held: ChatMessage[],
  total: number,
  count: number | undefined,
): Promise<ChatMessage[]> {
  if (count !== undefined && count <= 0) return [];
  const from = count === undefined ? 0 : Math.max(0, total - count);
  const page = await wholeTranscript(
    store,
    runId,
    { messages: held, total, firstRetained: heldTailStart(held, total) },
    from,
    total - from,
  );
  return page.messages;
}
