import { ApplicationFailure } from '@temporalio/activity';
import type { AgentTurnRequest, ConversationEntry } from '../src/core/activity-contract';
import { entriesForQuery, memoryNoteOf, MemoryScopeMissingError, type AgentMemoryDeps } from '../src/memory/agent-memory';

/**
 * The memory an agent turn shows its model: entries about the latest message of the agent's
 * view, as a note for the prompt and their ids for the turn's result (history then tells what
 * the model saw). Nothing for an agent without memory.
 */
export async function recallForTurn(
  memory: AgentMemoryDeps | undefined,
  request: AgentTurnRequest,
  messages: readonly ConversationEntry[],
  signal?: AbortSignal,
): Promise<{ prompt: { memoryNote?: string }; used: { memoryUsed?: string[] } }> {
  if (!request.memory) return { prompt: {}, used: {} };
  const who = `agent "${request.agent.name}"`;
  if (!memory) throw ApplicationFailure.nonRetryable(`${who} has memory, and this worker was given no memory store`, 'MemoryConfigError');
  const entries = await asMemoryFailure(() => entriesForQuery(memory, request.memory!, queryOf(messages), who, { signal }));
  const note = memoryNoteOf(entries);
  return { prompt: note ? { memoryNote: note } : {}, used: entries.length ? { memoryUsed: entries.map((e) => e.id) } : {} };
}

/** What memory is searched for: the latest message of the conversation the agent sees (not its own tool use). */
export function queryOf(messages: readonly ConversationEntry[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (!messages[i]!.kind) return messages[i]!.content;
  return '';
}

/** A scope with no key can never be read: that fails the activity for good, saying how to give one. */
export async function asMemoryFailure<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (err instanceof MemoryScopeMissingError) throw ApplicationFailure.nonRetryable(err.message, err.name);
    throw err;
  }
}
