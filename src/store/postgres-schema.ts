/**
 * The store's tables, created when a backend opens. Idempotent; an advisory lock keeps two
 * processes opening at once from racing on CREATE TABLE (which can fail on a duplicate type).
 */
export const SCHEMA_LOCK_ID = 0x64_74_73_74; // "dtst": any constant the processes agree on

export const CREATE_TABLES = `
  CREATE TABLE IF NOT EXISTS bodies (
    key text PRIMARY KEY,
    run_id text NOT NULL,
    data bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX IF NOT EXISTS bodies_run_id ON bodies (run_id);
  CREATE TABLE IF NOT EXISTS records (
    run_id text NOT NULL,
    idx integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (run_id, idx)
  );
  CREATE TABLE IF NOT EXISTS runs (
    run_id text PRIMARY KEY,
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX IF NOT EXISTS runs_updated_at ON runs (updated_at);
`;

// Each write touches its runs in the same statement, so runs.updated_at is never behind the data;
// in a fixed order, so that two writers touching the same runs cannot deadlock.
const TOUCH_RUNS = (runIds: string) => `
  touched AS (
    INSERT INTO runs (run_id, updated_at) SELECT DISTINCT r, now() FROM unnest(${runIds}::text[]) AS r ORDER BY r
    ON CONFLICT (run_id) DO UPDATE SET updated_at = excluded.updated_at
  )`;

export const PUT_BODIES = `
  WITH inserted AS (
    INSERT INTO bodies (key, run_id, data) SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[])
    ON CONFLICT (key) DO NOTHING
  ), ${TOUCH_RUNS('$2')}
  SELECT 1`;

export const PUT_RECORDS = `
  WITH upserted AS (
    INSERT INTO records (run_id, idx, data) SELECT $1, * FROM unnest($2::integer[], $3::bytea[])
    ON CONFLICT (run_id, idx) DO UPDATE SET data = excluded.data
  ), ${TOUCH_RUNS('ARRAY[$1]')}
  SELECT 1`;

export const GET_BODIES = 'SELECT key, data FROM bodies WHERE key = ANY($1::text[])';

export const GET_RECORDS = 'SELECT idx, data FROM records WHERE run_id = $1 AND idx >= $2 AND idx < $3 ORDER BY idx';

export const DELETE_RUNS = `
  WITH gone_bodies AS (DELETE FROM bodies WHERE run_id = ANY($1::text[]) RETURNING run_id),
       gone_records AS (DELETE FROM records WHERE run_id = ANY($1::text[]) RETURNING run_id),
       gone_runs AS (DELETE FROM runs WHERE run_id = ANY($1::text[]) RETURNING run_id)
  SELECT count(DISTINCT run_id)::integer AS deleted
  FROM (SELECT run_id FROM gone_bodies UNION SELECT run_id FROM gone_records UNION SELECT run_id FROM gone_runs) AS gone`;

export const LIST_RUNS = `
  SELECT run_id, updated_at FROM runs
  WHERE $1::timestamptz IS NULL OR updated_at < $1
  ORDER BY updated_at
  LIMIT $2`;
