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
    return rankBySimilarity(entries, vector ?? [], top);
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
