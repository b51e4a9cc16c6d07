/**
 * Where a conversation's bytes are kept. Two kinds of entries, both written once and then only read:
 *
 * - **bodies**: what a message says (its text, a model's tool calls, a tool's output), under a key
 *   that the writer makes up (unique per write, so a late write by a zombie activity attempt can
 *   never change what another attempt wrote), owned by a run (for pruning);
 * - **records**: a run's message at a position (0 is the task), small metadata that points at its
 *   body. Only the workflow decides records, so every writer of (run, index) writes the same bytes.
 *
 * Bytes are opaque here: the layer above seals them (the payload codec) before they arrive. Every
 * write is idempotent, so an activity retried after a crash writes again without harm.
 */
export interface StoredBody {
  key: string;
  runId: string;
  data: Uint8Array;
}

export interface StoredRecord {
  index: number;
  data: Uint8Array;
}

export interface StoredRun {
  runId: string;
  /** The last time anything was written for the run. */
  updatedAt: Date;
}

export interface StoreBackend {
  /** Where the store is, for messages and logs: a path, or a URL without its password. */
  readonly location: string;
  /** Inserts bodies; a key already present keeps what it has. */
  putBodies(bodies: StoredBody[]): Promise<void>;
  /** The bodies found for `keys`; a key with no body is absent from the map. */
  getBodies(keys: string[]): Promise<Map<string, Uint8Array>>;
  /** Inserts or replaces a run's records by index. */
  putRecords(runId: string, records: StoredRecord[]): Promise<void>;
  /** A run's records with `from <= index < to`, by index; indexes never written are missing. */
  getRecords(runId: string, from: number, to: number): Promise<StoredRecord[]>;
  /** Removes everything of these runs (bodies and records); answers how many runs had something. */
  deleteRuns(runIds: string[]): Promise<number>;
  /** Runs that have anything stored, optionally only those untouched since `updatedBefore`. */
  listRuns(options?: { updatedBefore?: Date; limit?: number }): Promise<StoredRun[]>;
  close(): Promise<void>;
}
