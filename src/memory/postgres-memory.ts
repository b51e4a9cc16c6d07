import type { PoolHold, SharedPool } from '../store/shared-pool';
import type { ListedMemoryEntry, MemoryBackend, StoredMemoryEntry } from './memory-backend';
import {
  CREATE_MEMORY_TABLE,
  FORGET_MEMORY,
  GET_MEMORY_ENTRIES,
  LIST_MEMORY_IDS,
  MEMORY_SCHEMA_LOCK_ID,
  PUT_MEMORY_ENTRIES,
} from './postgres-memory-schema';

/** Memory in the store's PostgreSQL database (table memory_entries), through the store's pool. */
export class PostgresMemory implements MemoryBackend {
  readonly location: string;

  private constructor(private readonly db: PoolHold) {
    this.location = db.location;
  }

  /** Creates the table (so a wrong URL fails here). */
  static async openOn(pool: SharedPool): Promise<PostgresMemory> {
    const memory = new PostgresMemory(pool.hold());
    try {
      await memory.db.createUnderLock(MEMORY_SCHEMA_LOCK_ID, CREATE_MEMORY_TABLE, 'creating the memory table');
    } catch (err) {
      await memory.close().catch(() => {});
      throw err;
    }
    return memory;
  }

  async putEntries(entries: StoredMemoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.rows('writing memory', PUT_MEMORY_ENTRIES, [
      entries.map((e) => e.namespace),
      entries.map((e) => e.id),
      entries.map((e) => e.createdAt),
      entries.map((e) => e.data),
    ]);
  }

  async listIds(namespace: string): Promise<ListedMemoryEntry[]> {
    const rows = await this.db.rows<{ id: string; created_at: Date }>('reading memory', LIST_MEMORY_IDS, [namespace]);
    return rows.map((row) => ({ id: row.id, createdAt: row.created_at }));
  }

  async getEntries(namespace: string, ids: readonly string[]): Promise<StoredMemoryEntry[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.rows<{ id: string; created_at: Date; data: Buffer }>('reading memory', GET_MEMORY_ENTRIES, [namespace, ids]);
    return rows.map((row) => ({ id: row.id, namespace, createdAt: row.created_at, data: new Uint8Array(row.data) }));
  }

  async forget(namespace: string): Promise<number> {
    return this.db.rowCount('forgetting memory', FORGET_MEMORY, [namespace]);
  }

  async close(): Promise<void> {
    await this.db.release();
  }
}
