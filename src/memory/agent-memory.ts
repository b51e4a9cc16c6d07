import type { AgentTurnRequest, ConversationEntry } from '../core/activity-contract';
import type { MemoryRequest } from '../core/memory-request';
import type { Embedder } from './embeddings';
import { memoryNamespace, type MemoryEntry } from './memory-entry';
import type { MemoryStore } from './memory-store';
import { matchingByKeywords, rankByKeywords, rankBySimilarity } from './retrieval';

/** What an agent's memory needs where it runs (an activity): the entries, and embeddings when asked for. */
export interface AgentMemoryDeps {
  store: MemoryStore;
  embed: Embedder;
  now?: () => number;
}

/** A memory request that names no scope key: `scope: user` on a run started without a user. */
export class MemoryScopeMissingError extends Error {
  override readonly name = 'MemoryScopeMissing';
}

/** An agent with memory where no memory store was given (a worker started without one): no retry helps. */
export class MemoryNotGivenError extends Error {
  override readonly name = 'MemoryConfigError';
}

/** The memory store an agent with memory uses, or a MemoryNotGivenError that names the agent. */
export function givenMemory(memory: AgentMemoryDeps | undefined, agent: string): AgentMemoryDeps {
  if (!memory) throw new MemoryNotGivenError(`agent "${agent}" has memory, and this worker was given no memory store`);
  return memory;
}

/** The namespace of the request's scope, or a MemoryScopeMissingError saying how to give the key. */
export function namespaceOf(request: MemoryRequest, who: string): string {
  if (request.key === null) {
    throw new MemoryScopeMissingError(
      `${who}: its memory is per user (memory.scope: user) and this run was started without a user key; ` +
        'start runs with `run --user <key>`, TeamClient.start(..., { user }) or the A2A message metadata durableTeams.user',
    );
  }
  return memoryNamespace(request.team, request.scope, request.key);
}

/**
 * The entries to show before a model call: by similarity to the query when the memory has an
 * embeddings endpoint, else by keyword match topped up with the newest.
 */
export async function entriesForQuery(
  deps: AgentMemoryDeps,
  request: MemoryRequest,
  query: string,
  who: string,
  options: { top?: number; signal?: AbortSignal; topUp?: boolean } = {},
): Promise<MemoryEntry[]> {
  const entries = await deps.store.entries(namespaceOf(request, who));
  const top = options.top ?? request.top;
  if (entries.length === 0) return [];
  if (request.embeddings && query.trim()) {
    const [vector] = await deps.embed(request.embeddings, [query], options.signal);
    return rankBySimilarity(entries, vector ?? [], top, { relatedOnly: options.topUp === false });
  }
  return options.topUp === false ? matchingByKeywords(entries, query, top) : rankByKeywords(entries, query, top);
}

/** Keeps a text in the request's scope under `id` (the tool call's idempotency key: a retry writes once). */
export async function rememberText(
  deps: AgentMemoryDeps,
  request: MemoryRequest,
  id: string,
  text: string,
  who: string,
  signal?: AbortSignal,
): Promise<MemoryEntry> {
  const scope = namespaceOf(request, who);
  const embedding = request.embeddings ? (await deps.embed(request.embeddings, [text], signal))[0] : undefined;
  const entry: MemoryEntry = { id, scope, text, createdAt: (deps.now ?? Date.now)(), ...(embedding ? { embedding } : {}) };
  await deps.store.add(entry);
  return entry;
}

/** The system message that shows the entries to the model (AutoGen's Memory `update_context`); null for none. */
export function memoryNoteOf(entries: readonly MemoryEntry[]): string | null {
  if (entries.length === 0) return null;
  return `Relevant memory:\n${entries.map((e) => `- ${e.text}`).join('\n')}`;
}

/** What a turn adds for memory: the note for its prompt, and the ids for its result. */
export interface TurnMemory {
  prompt: { memoryNote?: string };
  used: { memoryUsed?: string[] };
}

/**
 * The memory an agent turn shows its model: entries about the latest message of the agent's
 * view, as a note for the prompt and their ids for the turn's result (history then tells what
 * the model saw). Nothing for an agent without memory.
 */
export async function memoryForTurn(
  deps: AgentMemoryDeps,
  request: AgentTurnRequest,
  messages: readonly ConversationEntry[],
  signal?: AbortSignal,
): Promise<TurnMemory> {
  if (!request.memory) return { prompt: {}, used: {} };
  const entries = await entriesForQuery(deps, request.memory, queryOf(messages), `agent "${request.agent.name}"`, { signal });
  const note = memoryNoteOf(entries);
  return { prompt: note ? { memoryNote: note } : {}, used: entries.length ? { memoryUsed: entries.map((e) => e.id) } : {} };
}

/** What memory is searched for: the latest message of the conversation the agent sees (not its own tool use). */
export function queryOf(messages: readonly ConversationEntry[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (!messages[i]!.kind) return messages[i]!.content;
  return '';
}
