import { ApplicationFailure } from '@temporalio/activity';
import type { AgentTurnRequest, ConversationEntry } from '../src/core/activity-contract';
import { memoryForTurn, MemoryScopeMissingError, type AgentMemoryDeps, type TurnMemory } from '../src/memory/agent-memory';

/** The memory an agent turn shows its model (see memoryForTurn), failing as an activity should. */
export async function recallForTurn(
  memory: AgentMemoryDeps | undefined,
  request: AgentTurnRequest,
  messages: readonly ConversationEntry[],
  signal?: AbortSignal,
): Promise<TurnMemory> {
  if (!request.memory) return { prompt: {}, used: {} };
  const who = `agent "${request.agent.name}"`;
  if (!memory) throw ApplicationFailure.nonRetryable(`${who} has memory, and this worker was given no memory store`, 'MemoryConfigError');
  return asMemoryFailure(() => memoryForTurn(memory, request, messages, signal));
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
