/**
 * Where memory entries' bytes are kept, beside the conversation store and opened from the same
 * URL (src/memory/open-memory.ts). Bytes are opaque here: MemoryStore seals them with the codec
 * first, so with the codec on a backend holds no entry text in plaintext. Only the id, the
 * namespace and the time are in clear, which is what listing newest-first and forgetting need.
 */
export interface StoredMemoryEntry {
  id: string;
  namespace: string;
  createdAt: Date;
  data: Uint8Array;
}

export interface MemoryBackend {
  /** Where the entries are, for messages: a folder, or a URL without its password. */
  readonly location: string;
  /** Adds entries; an id already in its namespace keeps what it has (a retried write writes once). */
  putEntries(entries: StoredMemoryEntry[]): Promise<void>;
  /** Every entry of a namespace, newest first (ties: by id). */
  listEntries(namespace: string): Promise<StoredMemoryEntry[]>;
  /** Removes a namespace's entries; answers how many there were. */
  forget(namespace: string): Promise<number>;
  close(): Promise<void>;
}

/** Newest first, then by id, so every backend lists in the same order. */
export function newestFirst(a: StoredMemoryEntry, b: StoredMemoryEntry): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
