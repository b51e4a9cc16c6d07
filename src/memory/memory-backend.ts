/**
 * Where memory entries' bytes are kept, beside the conversation store and opened from the same
 * URL (src/site/store-site.ts). Bytes are opaque here: MemoryStore seals them with the codec
 * first, so with the codec on a backend holds no entry text in plaintext. Only the id, the
 * namespace and the time are in clear, which is what listing newest-first and forgetting need.
 */
export interface StoredMemoryEntry {
  id: string;
  namespace: string;
  createdAt: Date;
  data: Uint8Array;
}

/** An entry as listed: enough to order entries and to tell which ones a reader already holds. */
export interface ListedMemoryEntry {
  id: string;
  createdAt: Date;
}

export interface MemoryBackend {
  /** Where the entries are, for messages: a folder, or a URL without its password. */
  readonly location: string;
  /** Adds entries; an id already in its namespace keeps what it has (a retried write writes once). */
  putEntries(entries: StoredMemoryEntry[]): Promise<void>;
  /** Every entry of a namespace, newest first (ties: by id), without its bytes. */
  listIds(namespace: string): Promise<ListedMemoryEntry[]>;
  /** The entries of a namespace with these ids, in any order; ids not there are left out. */
  getEntries(namespace: string, ids: readonly string[]): Promise<StoredMemoryEntry[]>;
  /** Removes a namespace's entries; answers how many there were. */
  forget(namespace: string): Promise<number>;
  close(): Promise<void>;
}

/** Newest first, then by id, so every backend lists in the same order. */
export function newestFirst(a: ListedMemoryEntry, b: ListedMemoryEntry): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
