import type { ListedExecution } from './list-executions';

/**
 * Where the next page of a listing starts, as an opaque token. `scan` (runs filtered by memo): the
 * order key of the last run shown. `indexed` (runs listed through their search attributes):
 * Temporal's own page token, which names the last row listed, so runs started since do not shift
 * the pages.
 */
export type PageCursor = { scan: OrderKey } | { indexed: string };

/** A page token this server did not issue, or issued for a listing it no longer makes. */
export class PageTokenError extends Error {
  override name = 'PageTokenError';
}

export function readCursor(token: string | undefined): PageCursor | null {
  if (!token) return null;
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Record<'scan' | 'indexed', unknown>>;
    const scan = cursor.scan as { c?: unknown; t?: unknown; id?: unknown } | undefined;
    if (typeof cursor.indexed === 'string') return { indexed: cursor.indexed };
    if (scan && (scan.c === null || typeof scan.c === 'number') && typeof scan.t === 'number' && typeof scan.id === 'string')
      return { scan: { c: scan.c, t: scan.t, id: scan.id } };
  } catch {
    // falls through to the error below
  }
  throw new PageTokenError('pageToken is not one this server issued; pass the nextPageToken of the previous page');
}

export const writeCursor = (cursor: PageCursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

/**
 * Visibility's order as a key: runs in progress first (no end), then latest ended first; within
 * each, newest started first, then by id.
 */
export const orderKey = (info: ListedExecution) => ({
  c: info.closeTime ? info.closeTime.getTime() : null,
  t: info.startTime.getTime(),
  id: info.workflowId,
});
export type OrderKey = ReturnType<typeof orderKey>;

/** Whether `a` comes before `b` in visibility's order. */
export function before(a: OrderKey, b: OrderKey): boolean {
  if (a.c !== b.c) return a.c === null || (b.c !== null && a.c > b.c);
  if (a.t !== b.t) return a.t > b.t;
  return a.id > b.id;
}
