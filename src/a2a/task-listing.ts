import type { InputKind } from '../core/human';
import { taskStateToJSON, type ListTasksRequest, type ListTasksResponse } from '@a2a-js/sdk';
import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { Task } from '@a2a-js/sdk';
import { taskJson } from '../core/a2a-json';
import { a2aTaskState } from '../core/status';
import { runStatusOf, readStatusMemo } from '../temporal/run-status';
import { readRunStarter, type RunStarter } from '../temporal/run-starter';
import type { TeamClient } from '../temporal/team-client';
import { taskOfRecord } from './task-view';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
/** Tasks a listing looks through; a team with more should be listed with filters. */
export const MAX_LISTED = 10_000;

interface Cursor {
  /** Start time (epoch ms) of the last task on the previous page. */
  t: number;
  id: string;
}

function readCursor(token: string): Cursor | null {
  if (!token) return null;
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
    if (typeof cursor.t === 'number' && typeof cursor.id === 'string') return cursor;
  } catch {
    // falls through to the error below
  }
  throw new RequestMalformedError('pageToken is not one this server issued; pass the nextPageToken of the previous page');
}

const writeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

/**
 * ListTasks from Temporal's visibility store, newest first: the team's runs (its run ids start
 * with the team's name; the memo confirms it) the caller may see, filtered by context, state and status time, with
 * their state from the run's memo. History and artifacts need the run's own record, read only
 * when asked for. The page token is a cursor (start time and id), so new tasks do not shift pages.
 */
export async function listTeamTasks(
  client: TeamClient,
  team: string,
  params: ListTasksRequest,
  people: ReadonlySet<string>,
  /** Which runs the caller may see, by who started them; all when absent. */
  admit?: (startedBy: RunStarter | null) => boolean,
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

  const matching: { runId: string; startedAt: number; info: Parameters<typeof runStatusOf>[0] & { memo?: Record<string, unknown> } }[] = [];
  for await (const info of client.teamExecutions(team)) {
    if (admit && !admit(readRunStarter(info))) continue;
    const memo = readStatusMemo(info);
    if (params.contextId && (info.memo?.contextId ?? info.workflowId) !== params.contextId) continue;
    if (wantState && a2aTaskState(runStatusOf(info)) !== wantState) continue;
    const updatedAt = memo?.updatedAt ?? (info.closeTime ?? info.startTime).getTime();
    if (after !== null && updatedAt <= after) continue;
    matching.push({ runId: info.workflowId, startedAt: info.startTime.getTime(), info });
    if (matching.length >= MAX_LISTED) break;
  }
  matching.sort((a, b) => b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : -1));
  let from = 0;
  if (cursor) {
    from = matching.findIndex((m) => m.startedAt < cursor.t || (m.startedAt === cursor.t && m.runId < cursor.id));
    if (from < 0) from = matching.length;
  }
  const page = matching.slice(from, from + pageSize);
  const needRecord = (params.historyLength ?? 0) > 0 || params.includeArtifacts === true;
  const tasks = await Promise.all(
    page.map(async ({ runId, info }) => {
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
  const last = page.at(-1);
  const more = from + pageSize < matching.length;
  return {
    tasks,
    nextPageToken: more && last ? writeCursor({ t: last.startedAt, id: last.runId }) : '',
    pageSize,
    totalSize: matching.length,
  };
}
