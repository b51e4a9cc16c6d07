import type { Pool } from 'pg';
import { storeErrorFromPg } from './postgres-errors';

/** What a PostgreSQL error is reported as: the server, the operation, the password to keep out. */
export interface PgErrorContext {
  location: string;
  password: string | undefined;
}

/**
 * Creates tables (idempotent DDL) under a transaction-scoped advisory lock, so that processes
 * starting at once do not race on `CREATE ... IF NOT EXISTS` (which PostgreSQL does not make
 * safe by itself). A connection that failed is destroyed rather than handed to the next caller.
 */
export async function createUnderLock(pool: Pool, lockId: number, ddl: string, what: string, context: PgErrorContext): Promise<void> {
  const client = await pool.connect().catch((err: unknown) => {
    throw storeErrorFromPg(err, context.location, what, context.password);
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
    throw storeErrorFromPg(err, context.location, what, context.password);
  } finally {
    client.release(failure);
  }
}
