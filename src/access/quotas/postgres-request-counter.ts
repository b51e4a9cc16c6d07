import type { PoolHold, SharedPool } from '../../store/shared-pool';
import type { RequestCounter, WindowCounts } from './request-counter';

/** Not the store's lock: the counter's table is created by front ends, which may open the store at the same moment. */
const COUNTER_SCHEMA_LOCK_ID = 0x64_74_72_6c; // "dtrl"

const CREATE_TABLE = `
  CREATE TABLE IF NOT EXISTS a2a_request_windows (
    caller text NOT NULL,
    window_start bigint NOT NULL,
    hits integer NOT NULL,
    PRIMARY KEY (caller, window_start)
  );
  CREATE INDEX IF NOT EXISTS a2a_request_windows_start ON a2a_request_windows (window_start);
`;

// One statement: the current window bumped atomically (two replicas never lose a hit), the
// previous one read beside it.
const HIT = `
  WITH bumped AS (
    INSERT INTO a2a_request_windows (caller, window_start, hits) VALUES ($1, $2, 1)
    ON CONFLICT (caller, window_start) DO UPDATE SET hits = a2a_request_windows.hits + 1
    RETURNING hits
  )
  SELECT bumped.hits AS current,
    COALESCE((SELECT hits FROM a2a_request_windows WHERE caller = $1 AND window_start = $3), 0) AS previous
  FROM bumped`;

const DELETE_OLD = 'DELETE FROM a2a_request_windows WHERE window_start < $1';

/**
 * The counter beside a PostgreSQL conversation store, shared by every front-end replica that uses
 * it. Its table is created on first use (and again after a failure), under an advisory lock.
 * Errors carry the URL with its password as ***.
 */
export class PostgresRequestCounter implements RequestCounter {
  readonly location: string;
  private readonly db: PoolHold;
  private ready: Promise<void> | null = null;
  private cleanedBefore = -Infinity;

  /** On the store's pool (StoreSite.postgres), so counting takes none of its own. */
  constructor(pool: SharedPool) {
    this.db = pool.hold();
    this.location = this.db.location;
  }

  async hit(key: string, windowStart: number, windowMs: number): Promise<WindowCounts> {
    await (this.ready ??= this.db
      .createUnderLock(COUNTER_SCHEMA_LOCK_ID, CREATE_TABLE, 'creating the request counter table')
      .catch((err: unknown) => {
        this.ready = null; // try again at the next request
        throw err;
      }));
    const rows = await this.db.rows<{ current: number; previous: number }>('counting a request', HIT, [
      key,
      windowStart,
      windowStart - windowMs,
    ]);
    // Now and then (once a window in each process), windows no estimate reads any more go.
    const stale = windowStart - windowMs;
    if (stale > this.cleanedBefore) {
      this.cleanedBefore = stale;
      this.db.rows('deleting old request windows', DELETE_OLD, [stale]).catch(() => {});
    }
    return { current: Number(rows[0]!.current), previous: Number(rows[0]!.previous) };
  }

  async close(): Promise<void> {
    await this.db.release();
  }
}
