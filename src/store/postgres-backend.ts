import type { StoreBackend, StoredBody, StoredRecord, StoredRun } from './backend';
import { CREATE_TABLES, DELETE_RUNS, GET_BODIES, GET_RECORDS, LIST_RUNS, PUT_BODIES, PUT_RECORDS, SCHEMA_LOCK_ID } from './postgres-schema';
import { SharedPool, type PoolHold, type SharedPoolOptions } from './shared-pool';

// PostgreSQL's integer column: a range end past it (Infinity, say) means "to the end".
const MAX_INDEX = 2_147_483_647;

/**
 * The production store: PostgreSQL, through the process's pool for it (shared-pool.ts). A
 * backend outlives a server restart: operations during the outage fail with a
 * StoreUnavailableError, and the ones after it run on fresh connections.
 */
export class PostgresBackend implements StoreBackend {
  readonly location: string;

  private constructor(private readonly db: PoolHold) {
    this.location = db.location;
  }

  /** A backend with a pool of its own (tests, benchmarks); a process's stores share one through StoreSite. */
  static open(url: string, options: SharedPoolOptions = {}): Promise<PostgresBackend> {
    return PostgresBackend.openOn(new SharedPool(url, options));
  }

  /** Connects once (so that a wrong URL fails here, not at the first message) and creates the tables. */
  static async openOn(pool: SharedPool): Promise<PostgresBackend> {
    const backend = new PostgresBackend(pool.hold());
    try {
      await backend.db.rows('connecting', 'SELECT 1');
      await backend.db.createUnderLock(SCHEMA_LOCK_ID, CREATE_TABLES, 'creating tables');
    } catch (err) {
      await backend.close().catch(() => {});
      throw err;
    }
    return backend;
  }

  async putBodies(bodies: StoredBody[]): Promise<void> {
    if (bodies.length === 0) return;
    await this.db.rows('writing bodies', PUT_BODIES, [bodies.map((b) => b.key), bodies.map((b) => b.runId), bodies.map((b) => b.data)]);
  }

  async getBodies(keys: string[]): Promise<Map<string, Uint8Array>> {
    const found = new Map<string, Uint8Array>();
    if (keys.length === 0) return found;
    const rows = await this.db.rows<{ key: string; data: Buffer }>('reading bodies', GET_BODIES, [[...new Set(keys)]]);
    for (const row of rows) found.set(row.key, new Uint8Array(row.data));
    return found;
  }

  async putRecords(runId: string, records: StoredRecord[]): Promise<void> {
    if (records.length === 0) return;
    // One statement may not upsert a row twice: of two records for an index, the later is kept.
    const latest = new Map(records.map((r) => [r.index, r.data]));
    await this.db.rows('writing records', PUT_RECORDS, [runId, [...latest.keys()], [...latest.values()]]);
  }

  async getRecords(runId: string, from: number, to: number): Promise<StoredRecord[]> {
    const clamp = (n: number) => Math.max(-1, Math.min(MAX_INDEX, Math.ceil(n)));
    if (clamp(to) <= clamp(from)) return [];
    const rows = await this.db.rows<{ idx: number; data: Buffer }>('reading records', GET_RECORDS, [runId, clamp(from), clamp(to)]);
    return rows.map((row) => ({ index: row.idx, data: new Uint8Array(row.data) }));
  }

  async deleteRuns(runIds: string[]): Promise<number> {
    if (runIds.length === 0) return 0;
    const [row] = await this.db.rows<{ deleted: number }>('deleting runs', DELETE_RUNS, [[...new Set(runIds)]]);
    return row?.deleted ?? 0;
  }

  async listRuns(options: { updatedBefore?: Date; limit?: number } = {}): Promise<StoredRun[]> {
    const rows = await this.db.rows<{ run_id: string; updated_at: Date }>('listing runs', LIST_RUNS, [
      options.updatedBefore ?? null,
      options.limit ?? null,
    ]);
    return rows.map((row) => ({ runId: row.run_id, updatedAt: row.updated_at }));
  }

  async close(): Promise<void> {
    await this.db.release();
  }
}
