/**
 * Memory's own table in the store's PostgreSQL database, created when memory opens there (as
 * src/store/postgres-schema.ts creates the conversation tables), under an advisory lock of its own.
 */
export const MEMORY_SCHEMA_LOCK_ID = 0x64_74_6d_6d; // "dtmm"

export const CREATE_MEMORY_TABLE = `
  CREATE TABLE IF NOT EXISTS memory_entries (
    namespace text NOT NULL,
    id text NOT NULL,
    created_at timestamptz NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (namespace, id)
  );
  CREATE INDEX IF NOT EXISTS memory_entries_newest ON memory_entries (namespace, created_at DESC, id);
`;

// ON CONFLICT DO NOTHING: a retried write of an id keeps the first.
export const PUT_MEMORY_ENTRIES = `
  INSERT INTO memory_entries (namespace, id, created_at, data)
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bytea[])
  ON CONFLICT (namespace, id) DO NOTHING`;

export const LIST_MEMORY_IDS = `
  SELECT id, created_at FROM memory_entries WHERE namespace = $1 ORDER BY created_at DESC, id COLLATE "C"`;

export const GET_MEMORY_ENTRIES = 'SELECT id, created_at, data FROM memory_entries WHERE namespace = $1 AND id = ANY($2::text[])';

export const FORGET_MEMORY = 'DELETE FROM memory_entries WHERE namespace = $1';
