import { Pool, type PoolConfig } from 'pg';
import { createUnderLock } from './postgres-ddl';
import type { StoreBackend, StoredBody, StoredRecord, StoredRun } from './backend';
import { storeErrorFromPg } from './postgres-errors';
import { CREATE_TABLES, DELETE_RUNS, GET_BODIES, GET_RECORDS, LIST_RUNS, PUT_BODIES, PUT_RECORDS, SCHEMA_LOCK_ID } from './postgres-schema';
import { redactStoreUrl } from './store-url';

export interface PostgresBackendOptions {
  /** Most connections this process keeps open. Default 10. */
  maxConnections?: number;
  /** How long to wait for a connection before the operation fails. Default 5,000 ms. */
  connectTimeoutMs?: number;
}

// PostgreSQL's integer column: a range end past it (Infinity, say) means "to the end".
const MAX_INDEX = 2_147_483_647;

/**
 * The production store: PostgreSQL through a pool of connections. A connection the server drops
 * (a restart, a failover) leaves the pool and the next operation opens a new one, so a backend
 * outlives a server restart; operations during the outage fail with a StoreUnavailableError.
 */
export class PostgresBackend implements StoreBackend {
  readonly location: string;

  private constructor(
    private readonly pool: Pool,
    location: string,
    private readonly password: string | undefined,
  ) {
    this.location = location;
  }

  /** Connects once (so that a wrong URL fails here, not at the first message) and creates the tables. */
  static async open(url: string, options: PostgresBackendOptions = {}): Promise<PostgresBackend> {
    const config: PoolConfig = {
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      application_name: 'durable-teams',
    };
    const pool = new Pool(config);
    // An idle connection the server closes is reported here; without a listener it would crash
    // the process. The pool has already dropped it, and the next query opens a fresh one.
    pool.on('error', () => {});
    const backend = new PostgresBackend(pool, redactStoreUrl(url), passwordOf(url));
    try {
      await backend.run('connecting', 'SELECT 1');
      await backend.createTables();
    } catch (err) {
      await pool.end().catch(() => {});
      throw err;
    }
    return backend;
  }

  async putBodies(bodies: StoredBody[]): Promise<void> {
    if (bodies.length === 0) return;
    await this.run('writing bodies', PUT_BODIES, [bodies.map((b) => b.key), bodies.map((b) => b.runId), bodies.map((b) => b.data)]);
  }

  async getBodies(keys: string[]): Promise<Map<string, Uint8Array>> {
    const found = new Map<string, Uint8Array>();
    if (keys.length === 0) return found;
    const rows = await this.run<{ key: string; data: Buffer }>('reading bodies', GET_BODIES, [[...new Set(keys)]]);
    for (const row of rows) found.set(row.key, new Uint8Array(row.data));
    return found;
  }

  async putRecords(runId: string, records: StoredRecord[]): Promise<void> {
    if (records.length === 0) return;
    // One statement may not upsert a row twice: of two records for an index, the later is kept.
    const latest = new Map(records.map((r) => [r.index, r.data]));
    await this.run('writing records', PUT_RECORDS, [runId, [...latest.keys()], [...latest.values()]]);
  }

  async getRecords(runId: string, from: number, to: number): Promise<StoredRecord[]> {
    const clamp = (n: number) => Math.max(-1, Math.min(MAX_INDEX, Math.ceil(n)));
    if (clamp(to) <= clamp(from)) return [];
    const rows = await this.run<{ idx: number; data: Buffer }>('reading records', GET_RECORDS, [runId, clamp(from), clamp(to)]);
    return rows.map((row) => ({ index: row.idx, data: new Uint8Array(row.data) }));
  }

  async deleteRuns(runIds: string[]): Promise<number> {
    if (runIds.length === 0) return 0;
    const [row] = await this.run<{ deleted: number }>('deleting runs', DELETE_RUNS, [[...new Set(runIds)]]);
    return row?.deleted ?? 0;
  }

  async listRuns(options: { updatedBefore?: Date; limit?: number } = {}): Promise<StoredRun[]> {
    const rows = await this.run<{ run_id: string; updated_at: Date }>('listing runs', LIST_RUNS, [
      options.updatedBefore ?? null,
      options.limit ?? null,
    ]);
    return rows.map((row) => ({ runId: row.run_id, updatedAt: row.updated_at }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private createTables(): Promise<void> {
    return createUnderLock(this.pool, SCHEMA_LOCK_ID, CREATE_TABLES, 'creating tables', {
      location: this.location,
      password: this.password,
    });
  }

  private async run<Row extends object>(operation: string, sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>(sql, params)).rows;
    } catch (err) {
      throw storeErrorFromPg(err, this.location, operation, this.password);
    }
  }
}

export function passwordOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const password = decodeURIComponent(parsed.password) || parsed.searchParams.get('password') || undefined;
    return password && password.length >= 3 ? password : undefined; // too short to strike safely from text
  } catch {
    return undefined;
  }
}
