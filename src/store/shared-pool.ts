import { Pool, type QueryResultRow } from 'pg';
import { storeErrorFromPg } from './postgres-errors';
import { redactStoreUrl } from './store-url';

export interface SharedPoolOptions {
  /** Most connections this process keeps open, for every user of the pool together. Default 10. */
  maxConnections?: number;
  /** How long to wait for a connection before the operation fails. Default 5,000 ms. */
  connectTimeoutMs?: number;
}

/**
 * The one pool of connections a process keeps to a PostgreSQL store, shared by everything kept
 * there (conversations, memory, the quotas' request counts). Each user holds the pool while it is
 * open: the pool is made on the first hold and ended when the last is let go, so a process that
 * closes what it opened exits, whichever of its users closes last. A connection the server drops
 * (a restart, a failover) leaves the pool and the next query opens a new one.
 */
export class SharedPool {
  /** The URL as it may be shown: its password as ***. */
  readonly location: string;
  private readonly password: string | undefined;
  private pool: Pool | null = null;
  private holders = 0;

  constructor(
    readonly url: string,
    private readonly options: SharedPoolOptions = {},
  ) {
    this.location = redactStoreUrl(url);
    this.password = passwordOf(url);
  }

  /** A hold on the pool for one user; let it go (release) when that user closes. */
  hold(): PoolHold {
    this.holders += 1;
    const pool = (this.pool ??= this.newPool());
    let held = true;
    return new PoolHold(pool, this, () => {
      if (!held) return Promise.resolve();
      held = false;
      this.holders -= 1;
      if (this.holders > 0 || this.pool !== pool) return Promise.resolve();
      this.pool = null;
      return pool.end();
    });
  }

  /** A pg error as the store's own, naming the store without its password. */
  errorFrom(err: unknown, operation: string): Error {
    return storeErrorFromPg(err, this.location, operation, this.password);
  }

  private newPool(): Pool {
    const pool = new Pool({
      connectionString: this.url,
      max: this.options.maxConnections ?? 10,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 5_000,
      application_name: 'durable-teams',
    });
    // An idle connection the server closes is reported here; without a listener it would crash
    // the process. The pool has already dropped it, and the next query opens a fresh one.
    pool.on('error', () => {});
    return pool;
  }
}

/** One user's hold on a SharedPool: its queries, with errors as the store's own. */
export class PoolHold {
  constructor(
    readonly pool: Pool,
    private readonly shared: SharedPool,
    /** Lets the pool go; the second call does nothing. */
    readonly release: () => Promise<void>,
  ) {}

  get location(): string {
    return this.shared.location;
  }

  /** The statement's rows, or the store's error for `operation` ("writing bodies", say). */
  async rows<Row extends QueryResultRow>(operation: string, sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.query<Row>(operation, sql, params)).rows;
  }

  /** How many rows the statement touched. */
  async rowCount(operation: string, sql: string, params: unknown[] = []): Promise<number> {
    return (await this.query(operation, sql, params)).rowCount ?? 0;
  }

  /**
   * Creates tables (idempotent DDL) under a transaction-scoped advisory lock, so that processes
   * starting at once do not race on `CREATE ... IF NOT EXISTS` (which PostgreSQL does not make
   * safe by itself). A connection that failed is destroyed rather than handed to the next user.
   */
  async createUnderLock(lockId: number, ddl: string, operation: string): Promise<void> {
    const client = await this.pool.connect().catch((err: unknown) => {
      throw this.shared.errorFrom(err, operation);
    });
    let failure: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [lockId]);
      await client.query(ddl);
      await client.query('COMMIT');
    } catch (err) {
      failure = err as Error;
      await client.query('ROLLBACK').catch(() => {});
      throw this.shared.errorFrom(err, operation);
    } finally {
      client.release(failure);
    }
  }

  private async query<Row extends QueryResultRow>(operation: string, sql: string, params: unknown[]) {
    try {
      return await this.pool.query<Row>(sql, params);
    } catch (err) {
      throw this.shared.errorFrom(err, operation);
    }
  }
}

/** The password in a URL (userinfo or `password=`), to strike from error text; none if too short to strike safely. */
export function passwordOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const password = decodeURIComponent(parsed.password) || parsed.searchParams.get('password') || undefined;
    return password && password.length >= 3 ? password : undefined;
  } catch {
    return undefined;
  }
}
