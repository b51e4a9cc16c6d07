import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreConfigError } from './errors';

/** The environment variable that names the conversation store. */
export const STORE_URL_ENV = 'DURABLE_TEAMS_STORE';

/** The store URL the environment names; unset or empty means the default (the embedded folder). */
export function storeUrlFrom(env: Record<string, string | undefined> = process.env): string | undefined {
  const value = env[STORE_URL_ENV]?.trim();
  return value ? value : undefined;
}

/** The folder the embedded store uses when no store is configured, beside `.durable-teams/temporal.db`. */
export const DEFAULT_STORE_FOLDER = '.durable-teams/conversations';

export const STORE_URL_FORMS = [
  'a folder path or file:PATH',
  'postgres://user:password@host:port/database (or postgresql://)',
  'memory:',
] as const;

/** Where a store URL points, decided without touching the store. */
export type StoreTarget = { kind: 'file'; folder: string } | { kind: 'postgres'; url: string; location: string } | { kind: 'memory' };

/**
 * The URL as it may be shown: its password (in the userinfo or as a `password=` parameter)
 * replaced by `***`. Anything that is not a URL is shown as it is (a path has no password).
 */
export function redactStoreUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL; still hide what looks like a password in user:password@host.
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
  if (parsed.password) parsed.password = '***';
  if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
  return parsed.toString();
}

// Two letters or more before the colon, so that a Windows drive (C:\teams) is a path, not a scheme.
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/** What a store URL means; a StoreConfigError for anything else, listing the accepted forms. */
export function parseStoreUrl(url: string | undefined, cwd: string = process.cwd()): StoreTarget {
  const value = url?.trim();
  if (!value) return { kind: 'file', folder: resolve(cwd, DEFAULT_STORE_FOLDER) };
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'file', folder: isAbsolute(value) ? value : resolve(cwd, value) };
  if (scheme === 'memory') return { kind: 'memory' };
  if (scheme === 'file') {
    if (value.startsWith('file://')) {
      try {
        return { kind: 'file', folder: fileURLToPath(value) };
      } catch (err) {
        throw new StoreConfigError(
          `conversation store ${value}: ${(err as Error).message}; write file:///absolute/path or file:relative/path`,
        );
      }
    }
    const path = value.slice('file:'.length);
    if (!path) throw new StoreConfigError('conversation store file: names no folder; write file:PATH');
    return { kind: 'file', folder: resolve(cwd, path) };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const location = redactStoreUrl(value);
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new StoreConfigError(`conversation store ${location} is not a valid URL; expected postgres://user:password@host:port/database`);
    }
    if (!parsed.hostname && !parsed.searchParams.has('host')) {
      throw new StoreConfigError(`conversation store ${location} names no host; expected postgres://user:password@host:port/database`);
    }
    return { kind: 'postgres', url: value, location };
  }
  throw new StoreConfigError(
    `conversation store ${redactStoreUrl(value)} has an unsupported scheme "${scheme}:"; use ${STORE_URL_FORMS.join(', or ')}`,
  );
}
