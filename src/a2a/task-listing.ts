import type { InputKind } from '../core/human';
import { taskStateToJSON, type ListTasksRequest, type ListTasksResponse } from '@a2a-js/sdk';
import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { Task } from '@a2a-js/sdk';
import { taskJson } from '../core/a2a-json';
import { a2aTaskState } from '../core/status';
import { RUN_STATUSES } from '../core/status';
import { listExecutions, executionsPage, type ListedExecution } from '../temporal/list-executions';
import { runVisibilityQuery, type QueryMode, type RunFilter } from '../temporal/run-query';
import { runStatusOf, readStatusMemo } from '../temporal/run-status';
import { RUN_SEARCH_ATTRIBUTES, starterKeyword } from '../visibility/run-attributes';
import { readRunStarter } from '../temporal/run-starter';
import type { TeamClient } from '../temporal/team-client';
import { taskOfRecord } from './task-view';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
/** Tasks a listing looks through; a team with more should be listed with filters. */
export const MAX_LISTED = 10_000;

/**
 * Where the next page starts. `scan` (runs listed by memo): the order key of the last task shown.
 * `indexed` (runs listed through their search attributes): Temporal's own page token.
 */
type Cursor = { scan: { c: number | null; t: number; id: string } } | { indexed: string };

function readCursor(token: string): Cursor | null {
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
  throw new RequestMalformedError('pageToken is not one this server issued; pass the nextPageToken of the previous page');
}

const writeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

/** What ListTasks asks of the runs, as a visibility filter, and the same test on one listed run (for runs without attributes). */
interface Wanted {
  filter: RunFilter;
  matches: (info: ListedExecution) => boolean;
}

/**
 * ListTasks from Temporal's visibility store: the team's runs the caller may see, filtered by
 * context, state and status time, with their state from the run's memo. History and artifacts
 * need the run's own record, read only when asked for.
 *
 * Order, as visibility lists runs: runs in progress first, newest started first; then ended ones,
 * latest ended first. Where the namespace has the run search attributes, visibility does the
 * filtering and paging (a page costs one list call and one count, however many runs there are);
 * else, or for runs begun before the attributes, runs are filtered by memo, up to MAX_LISTED.
 */
export async function listTeamTasks(
  client: TeamClient,
  team: string,
  params: ListTasksRequest,
  people: ReadonlySet<string>,
  /** The token whose runs alone the caller may see; absent when it sees all (see access.ts). */
  owner?: string,
): Promise<ListTasksResponse> {
  const pageSize = params.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw new RequestMalformedError(`pageSize must be from 1 to ${MAX_PAGE_SIZE}, not ${pageSize}`);
  if (params.historyLength !== undefined && params.historyLength < 0)
    throw new RequestMalformedError(`historyLength must not be negative, not ${params.historyLength}`);
  const cursor = readCursor(params.pageToken);
  const wantState = params.status ? taskStateToJSON(params.status) : null; // 0 is TASK_STATE_UNSPECIFIED: no filter
  const after = params.statusTimestampAfter ? Date.parse(params.statusTimestampAfter) : null;
  if (after !== null && Number.isNaN(after))
    throw new RequestMalformedError(`statusTimestampAfter "${params.statusTimestampAfter}" is not a timestamp`);

  const status = wantState ? RUN_STATUSES.find((s) => a2aTaskState(s) === wantState) : undefined;
  const wanted: Wanted = {
    filter: {
      taskQueue: client.taskQueue,
      teams: [team],
      ...(params.contextId ? { contextId: params.contextId } : {}),
      ...(status ? { status } : {}),
      ...(owner !== undefined ? { startedBy: starterKeyword({ token: owner }) } : {}),
      ...(after !== null ? { updatedSince: new Date(after) } : {}),
    },
    matches: (info) => {
      if (info.memo?.team !== team) return false;
      const starter = readRunStarter(info);
      if (owner !== undefined && !(starter && 'token' in starter && starter.token === owner)) return false;
      if (params.contextId && (info.memo?.contextId ?? info.workflowId) !== params.contextId) return false;
      if (wantState && a2aTaskState(runStatusOf(info)) !== wantState) return false;
      const updatedAt = readStatusMemo(info)?.updatedAt ?? (info.closeTime ?? info.startTime).getTime();
      return after === null || updatedAt >= after;
    },
  };
  const mode = await client.searchAttributes.queryMode();
  if (mode === 'memo' && cursor && 'indexed' in cursor)
    throw new RequestMalformedError('pageToken is from a listing this server no longer makes; list again from the first page');
  const { page, nextPageToken, totalSize } =
    mode === 'memo' || (cursor && 'scan' in cursor)
      ? await scannedPage(client, wanted, mode, pageSize, cursor && 'scan' in cursor ? cursor.scan : null)
      : await indexedPage(client, wanted, mode, pageSize, cursor && 'indexed' in cursor ? cursor.indexed : null);

  const needRecord = (params.historyLength ?? 0) > 0 || params.includeArtifacts === true;
  const tasks = await Promise.all(
    page.map(async (info) => {
      const runId = info.workflowId;
      if (needRecord)
        return taskOfRecord(await client.record(runId, Math.max(params.historyLength ?? 0, 20)), {
          historyLength: params.historyLength ?? 0,
          includeArtifacts: params.includeArtifacts === true,
          people,
        });
      const memo = readStatusMemo(info);
      return Task.fromJSON(
        taskJson(
          {
            runId,
            contextId: typeof info.memo?.contextId === 'string' ? info.memo.contextId : runId,
            team,
            status: runStatusOf(info),
            updatedAt: memo?.updatedAt ?? Date.now(),
            messages: [],
            pendingInput: memo?.waiting ? { ...memo.waiting, kind: memo.waiting.kind as InputKind } : null,
            stopReason: null,
            error: null,
          },
          { historyLength: 0, includeArtifacts: false, people },
        ),
      );
    }),
  );
  return { tasks, nextPageToken, pageSize, totalSize };
}

type Page = { page: ListedExecution[]; nextPageToken: string; totalSize: number };

/** Visibility filters and pages; runs without attributes (mode `indexed+memo`) are checked by memo on the way. */
async function indexedPage(client: TeamClient, wanted: Wanted, mode: QueryMode, pageSize: number, token: string | null): Promise<Page> {
  const query = runVisibilityQuery(wanted.filter, mode);
  const page: ListedExecution[] = [];
  let pageToken: Uint8Array | undefined = token ? Buffer.from(token, 'base64url') : undefined;
  do {
    // Asking for just the rest of the page means a page never holds more than pageSize.
    const listed = await executionsPage(client.client, query, pageSize - page.length, pageToken);
    page.push(...listed.executions.filter(wanted.matches));
    pageToken = listed.nextPageToken;
  } while (page.length < pageSize && pageToken);
  // Visibility gives a token whenever a page is full, even with nothing after it: look one run ahead.
  const after = pageToken;
  const [more, total] = await Promise.all([
    after ? executionsPage(client.client, query, 1, after).then(({ executions }) => executions.length > 0) : false,
    // A first page with nothing after it is the whole list (a context's tasks, often): no count needed.
    !token && !after ? null : countTasks(client, wanted, mode),
  ]);
  return {
    page,
    nextPageToken: more && after ? writeCursor({ indexed: Buffer.from(after).toString('base64url') }) : '',
    totalSize: total ?? page.length,
  };
}

/** Exact: visibility counts the runs with attributes; runs without them are counted by memo. */
async function countTasks(client: TeamClient, wanted: Wanted, mode: QueryMode): Promise<number> {
  const indexed = client.client.workflow.count(runVisibilityQuery(wanted.filter, 'indexed')).then(({ count }) => count);
  if (mode === 'indexed') return indexed;
  let legacy = 0;
  const query = `${runVisibilityQuery(wanted.filter, 'memo')} AND ${RUN_SEARCH_ATTRIBUTES.team.name} IS NULL`;
  for await (const info of listExecutions(client.client, query)) {
    if (wanted.matches(info)) legacy += 1;
    if (legacy >= MAX_LISTED) break;
  }
  return (await indexed) + legacy;
}

/** Visibility's order (see listTeamTasks) as a key: running runs first, then by end, start and id. */
const orderKey = (info: ListedExecution) => ({
  c: info.closeTime ? info.closeTime.getTime() : null,
  t: info.startTime.getTime(),
  id: info.workflowId,
});
type OrderKey = ReturnType<typeof orderKey>;
function before(a: OrderKey, b: OrderKey): boolean {
  if (a.c !== b.c) return a.c === null || (b.c !== null && a.c > b.c);
  if (a.t !== b.t) return a.t > b.t;
  return a.id > b.id;
}

/** Every matching run, by memo, up to MAX_LISTED, in visibility's order; the page after the cursor. */
async function scannedPage(client: TeamClient, wanted: Wanted, mode: QueryMode, pageSize: number, cursor: OrderKey | null): Promise<Page> {
  const matching: ListedExecution[] = [];
  for await (const info of listExecutions(client.client, runVisibilityQuery(wanted.filter, mode))) {
    if (!wanted.matches(info)) continue;
    matching.push(info);
    if (matching.length >= MAX_LISTED) break;
  }
  matching.sort((a, b) => (before(orderKey(a), orderKey(b)) ? -1 : 1));
  const from = cursor ? matching.findIndex((info) => before(cursor, orderKey(info))) : 0;
  const start = from < 0 ? matching.length : from;
  const page = matching.slice(start, start + pageSize);
  const last = page.at(-1);
  const more = start + pageSize < matching.length;
  return { page, nextPageToken: more && last ? writeCursor({ scan: orderKey(last) }) : '', totalSize: matching.length };
}
