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
  const store = memoryOrFail(memory, request.agent.name);
  return asMemoryFailure(() => memoryForTurn(store, request, messages, signal));
}

/** The worker's memory store; an agent with memory on a worker given none fails for good, by name. */
export function memoryOrFail(memory: AgentMemoryDeps | undefined, agent: string): AgentMemoryDeps {
  if (!memory)
    throw ApplicationFailure.nonRetryable(`agent "${agent}" has memory, and this worker was given no memory store`, 'MemoryConfigError');
  return memory;
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
