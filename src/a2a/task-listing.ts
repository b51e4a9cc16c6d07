import type { InputKind } from '../core/human';
import { taskStateToJSON, type ListTasksRequest, type ListTasksResponse } from '@a2a-js/sdk';
import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { Task } from '@a2a-js/sdk';
import { taskJson } from '../core/a2a-json';
import { a2aTaskState } from '../core/status';
import { RUN_STATUSES } from '../core/status';
import type { ListedPage } from '../client/listing/run-lister';
import { PageTokenError } from '../client/listing/page-cursor';
import type { RunFilter } from '../client/listing/run-query';
import { runStatusOf, readStatusMemo } from '../temporal/run-status';
import { starterKeyword } from '../visibility/run-attributes';
import type { TeamClient } from '../client/team-client';
import { taskOfReport } from './task-view';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
/**
 * ListTasks from Temporal's visibility store: the team's runs the caller may see, filtered by
 * context, state and status time, with their state from the run's memo. History and artifacts
 * need the run's own report, read only when asked for.
 *
 * Order, paging and filtering are the lister's, as for every listing (see
 * client/listing/run-lister.ts): runs in progress first, newest started first; then ended ones,
 * latest ended first.
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
  const wantState = params.status ? taskStateToJSON(params.status) : null; // 0 is TASK_STATE_UNSPECIFIED: no filter
  const after = params.statusTimestampAfter ? Date.parse(params.statusTimestampAfter) : null;
  if (after !== null && Number.isNaN(after))
    throw new RequestMalformedError(`statusTimestampAfter "${params.statusTimestampAfter}" is not a timestamp`);

  const status = wantState ? RUN_STATUSES.find((s) => a2aTaskState(s) === wantState) : undefined;
  const filter: RunFilter = {
    taskQueue: client.taskQueue,
    teams: [team],
    ...(params.contextId ? { contextId: params.contextId } : {}),
    ...(status ? { status } : {}),
    ...(owner !== undefined ? { startedBy: starterKeyword({ token: owner }) } : {}),
    ...(after !== null ? { updatedSince: new Date(after) } : {}),
  };
  const { runs: page, nextPageToken, totalSize } = await pageOf(client, filter, pageSize, params.pageToken);

  const needReport = (params.historyLength ?? 0) > 0 || params.includeArtifacts === true;
  const tasks = await Promise.all(
    page.map(async (info) => {
      const runId = info.workflowId;
      if (needReport)
        return taskOfReport(await client.report(runId, Math.max(params.historyLength ?? 0, 20)), {
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

/** The lister's page; a page token it refuses is the request's mistake, said as A2A says it. */
async function pageOf(client: TeamClient, filter: RunFilter, pageSize: number, pageToken: string): Promise<ListedPage> {
  try {
    return await client.lister.page(filter, { pageSize, pageToken });
  } catch (err) {
    if (err instanceof PageTokenError) throw new RequestMalformedError(err.message);
    throw err;
  }
}
