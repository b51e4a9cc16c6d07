import type { StoreBackend } from './backend';
import { FileBackend, type FileBackendOptions } from './file-backend';
import { RamBackend } from './ram-backend';
import { PostgresBackend, type PostgresBackendOptions } from './postgres-backend';
import { parseStoreUrl } from './store-url';

/** The environment variable that names the conversation store. */
export const STORE_URL_ENV = 'DURABLE_TEAMS_STORE';

/** The store URL the environment names; unset or empty means the default (the embedded folder). */
export function storeUrlFrom(env: Record<string, string | undefined> = process.env): string | undefined {
  const value = env[STORE_URL_ENV]?.trim();
  return value ? value : undefined;
}

export interface OpenStoreOptions {
  /** Where relative paths and the default folder are resolved. Default: process.cwd(). */
  cwd?: string;
  file?: FileBackendOptions;
  postgres?: PostgresBackendOptions;
}

/**
 * The backend a store URL names, open and checked: undefined → the folder
 * `.durable-teams/conversations` under `cwd`; `file:PATH` or a plain path → that folder;
 * `postgres://` or `postgresql://` → PostgreSQL (connected once and tables created, so a wrong URL
 * fails here); `memory:` → this process's memory. Errors are StoreConfigError (fix the URL) or
 * StoreUnavailableError (start the server, fix the host), and never show the password.
 */
export async function openStoreBackend(url: string | undefined, options: OpenStoreOptions = {}): Promise<StoreBackend> {
  const target = parseStoreUrl(url, options.cwd);
  switch (target.kind) {
    case 'memory':
      return new RamBackend();
    case 'file':
      return FileBackend.open(target.folder, options.file);
    case 'postgres':
      return PostgresBackend.open(target.url, options.postgres);
  }
}
