import { Pool } from 'pg';
import { createUnderLock } from '../store/postgres-ddl';
import { passwordOf } from '../store/postgres-backend';
import { storeErrorFromPg } from '../store/postgres-errors';
import { redactStoreUrl } from '../store/store-url';
import type { ListedMemoryEntry, MemoryBackend, StoredMemoryEntry } from './memory-backend';
import {
  CREATE_MEMORY_TABLE,
  FORGET_MEMORY,
  GET_MEMORY_ENTRIES,
  LIST_MEMORY_IDS,
  MEMORY_SCHEMA_LOCK_ID,
  PUT_MEMORY_ENTRIES,
} from './postgres-memory-schema';

/** Memory in the store's PostgreSQL database (table memory_entries), through a small pool of its own. */
export class PostgresMemory implements MemoryBackend {
  readonly location: string;

  private constructor(
    private readonly pool: Pool,
    location: string,
    private readonly password: string | undefined,
  ) {
    this.location = location;
  }

  /** Connects once (a wrong URL fails here) and creates the table. */
  static async open(url: string, options: { maxConnections?: number } = {}): Promise<PostgresMemory> {
    const pool = new Pool({
      connectionString: url,
      max: options.maxConnections ?? 4,
      connectionTimeoutMillis: 5_000,
      application_name: 'durable-teams-memory',
    });
    pool.on('error', () => {}); // a dropped idle connection: the pool has let it go already
    const memory = new PostgresMemory(pool, redactStoreUrl(url), passwordOf(url));
    try {
      await memory.createTable();
    } catch (err) {
      await pool.end().catch(() => {});
      throw err;
    }
    return memory;
  }

  async putEntries(entries: StoredMemoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.run('writing memory', PUT_MEMORY_ENTRIES, [
      entries.map((e) => e.namespace),
      entries.map((e) => e.id),
      entries.map((e) => e.createdAt),
      entries.map((e) => e.data),
    ]);
  }

  async listIds(namespace: string): Promise<ListedMemoryEntry[]> {
    const rows = await this.run<{ id: string; created_at: Date }>('reading memory', LIST_MEMORY_IDS, [namespace]);
    return rows.map((row) => ({ id: row.id, createdAt: row.created_at }));
  }

  async getEntries(namespace: string, ids: readonly string[]): Promise<StoredMemoryEntry[]> {
    if (ids.length === 0) return [];
    const rows = await this.run<{ id: string; created_at: Date; data: Buffer }>('reading memory', GET_MEMORY_ENTRIES, [namespace, ids]);
    return rows.map((row) => ({ id: row.id, namespace, createdAt: row.created_at, data: new Uint8Array(row.data) }));
  }

  async forget(namespace: string): Promise<number> {
    try {
      return (await this.pool.query(FORGET_MEMORY, [namespace])).rowCount ?? 0;
    } catch (err) {
      throw storeErrorFromPg(err, this.location, 'forgetting memory', this.password);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private createTable(): Promise<void> {
    return createUnderLock(this.pool, MEMORY_SCHEMA_LOCK_ID, CREATE_MEMORY_TABLE, 'creating the memory table', {
      location: this.location,
      password: this.password,
    });
  }

  private async run<Row extends object>(operation: string, sql: string, params: unknown[]): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>(sql, params)).rows;
    } catch (err) {
      throw storeErrorFromPg(err, this.location, operation, this.password);
    }
  }
}
