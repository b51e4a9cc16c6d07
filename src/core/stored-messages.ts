import { isConversational, type ChatMessage, type MessageBody, type ToolResult } from './messages';
import type { RunState } from './state';

/**
 * A message's text lives once in the conversation store; workflow state, activity inputs and
 * continue-as-new carry records that point at it. These pure functions turn a message into its
 * record and back, so the workflow, the activities and the readers agree on what a record means.
 */

/** Does the message keep anything in the store (its body, or a tool's output)? */
export function hasStoredParts(message: ChatMessage): boolean {
  return message.ref !== undefined || (message.toolResults ?? []).some((r) => r.ref !== undefined);
}

/**
 * The message as a record: what it says is dropped wherever the store has it. Text the run wrote
 * itself (a refusal, a summary, a legacy message with no ref) stays: it is in no other place.
 */
export function recordOf(message: ChatMessage): ChatMessage {
  if (message.elided || !hasStoredParts(message)) return message;
  const { toolCalls: _calls, attachments: _attachments, ...rest } = message;
  return {
    ...rest,
    content: '',
    ...(message.toolResults ? { toolResults: message.toolResults.map(resultRecord) } : {}),
    elided: true,
  };
}

function resultRecord(result: ToolResult): ToolResult {
  if (result.ref === undefined) return result;
  const { attachments: _attachments, ...rest } = result;
  return { ...rest, content: '' };
}

/**
 * A message a run holds, as readers take it: a conversational message with a stored body is read
 * from the store even when the run holds its text, since only the store keeps what came with it
 * (files and data, see attachments.ts). Stored bodies never change, so readers cache them.
 */
export function readFromStore(message: ChatMessage): ChatMessage {
  return message.ref !== undefined && !message.elided && isConversational(message) ? recordOf(message) : message;
}

/** The store keys a record needs read to be whole again. */
export function bodyKeysOf(record: ChatMessage): string[] {
  if (!record.elided) return [];
  const keys = record.ref !== undefined ? [record.ref] : [];
  for (const result of record.toolResults ?? []) if (result.ref !== undefined) keys.push(result.ref);
  return keys;
}

/** Thrown when a record's body is not in the store (pruned, deleted by hand). */
export class MissingBodyError extends Error {
  override name = 'MissingBody';
  constructor(
    readonly runId: string,
    readonly index: number,
    readonly key: string,
  ) {
    super(`run "${runId}": message ${index} is not in the conversation store (body ${key} is missing: pruned or deleted?)`);
  }
}

/** The text of a tool_result message, built from its results as the recorder builds it. */
export function toolResultsText(results: ToolResult[]): string {
  return results.map((r) => `${r.name}: ${r.content}`).join('\n');
}

/** A record made whole with its bodies; `body(key)` answers undefined for a key the store lacks. */
export function withBody(runId: string, record: ChatMessage, body: (key: string) => MessageBody | undefined): ChatMessage {
  if (!record.elided) return record;
  const need = (key: string): MessageBody => {
    const found = body(key);
    if (!found) throw new MissingBodyError(runId, record.index, key);
    return found;
  };
  const { elided: _elided, ...whole } = record;
  if (record.ref !== undefined) {
    const stored = need(record.ref);
    whole.content = record.cut !== undefined ? stored.content.slice(0, record.cut) : stored.content;
    if (stored.toolCalls && record.kind === 'tool_call') whole.toolCalls = stored.toolCalls;
    if (stored.attachments?.length) whole.attachments = stored.attachments;
  }
  if (record.toolResults) {
    whole.toolResults = record.toolResults.map((r) => {
      if (r.ref === undefined) return r;
      const stored = need(r.ref);
      return { ...r, content: stored.content, ...(stored.attachments?.length ? { attachments: stored.attachments } : {}) };
    });
    if (record.kind === 'tool_result' && record.ref === undefined) whole.content = toolResultsText(whole.toolResults);
  }
  return whole;
}

/**
 * Where an activity reads the conversation from: the run's records up to `count`, of which the
 * `unstored` ones (added since the last activity that stored records) ride along to be written
 * first. Records are small and carry no text, so this stays small however long the run gets.
 */
export interface ConversationRef {
  runId: string;
  /** Messages in the conversation the activity sees: indexes 0 to count - 1. */
  count: number;
  unstored: ChatMessage[];
  /**
   * Set when the run begins with earlier conversation (see earlier.ts): how many earlier parts
   * its store note lists, read before its own messages. A count, not the list: it rides in
   * every step's input, which must stay small however long the context.
   */
  earlier?: number;
}

/** Messages at and above this index may not be in the store yet. Absent in states of older runs: none is. */
export function storedCount(state: RunState): number {
  return state.storedCount ?? 0;
}

export function conversationRef(state: RunState): ConversationRef {
  const stored = storedCount(state);
  return {
    runId: state.runId,
    count: state.messageCount,
    unstored: state.messages.filter((m) => m.index >= stored).map(recordOf),
    ...(state.earlier ? { earlier: state.earlier } : {}),
  };
}

/** An activity that took `ref` completed: it wrote the records it carried. */
export function noteStored(state: RunState, ref: ConversationRef | undefined): void {
  if (ref && ref.runId === state.runId && ref.count > storedCount(state)) state.storedCount = ref.count;
}
