import type { Client } from '@temporalio/client';
import type { RunStatus } from '../core/status';
import { listExecutions, type ListedExecution } from '../temporal/list-executions';
import { runStatusOf, readStatusMemo } from '../temporal/run-status';
import { readRunStarter, type RunStarter } from '../temporal/run-starter';
import { runVisibilityQuery, type QueryMode } from '../temporal/run-query';

/** One row of the console's runs list: what visibility knows, no worker asked. */
export interface RunRow {
  runId: string;
  team: string;
  status: RunStatus;
  contextId: string | null;
  waiting: { requestId: string; kind: string; prompt: string } | null;
  startedAt: string;
  closedAt: string | null;
  /** Filled in for the rows of one page only (see console-api.ts): it costs the run's result or a query. */
  turns?: number | null;
  stopReason?: string | null;
}

export interface RowFilter {
  /** Only runs of these teams (the served ones). */
  teams: ReadonlySet<string>;
  status?: RunStatus;
  /** Only runs waiting on a person. */
  waiting?: boolean;
  /** Only these run ids (a search). */
  ids?: ReadonlySet<string>;
  /** Whether the caller may see a run started by this starter (see access/access.ts). */
  reach: (startedBy: RunStarter | null) => boolean;
  /** The starter (its keyword; see starterKeyword) whose runs alone the caller may see, for visibility to filter by; absent: all. */
  startedBy?: string;
}

/** The visibility query for a filter: this queue's runs of the served teams, narrowed as far as visibility can (see run-query.ts). */
export function rowQuery(
  taskQueue: string,
  filter: Pick<RowFilter, 'status' | 'waiting' | 'ids' | 'startedBy'> & { teams?: ReadonlySet<string> },
  mode: QueryMode = 'memo',
): string {
  return runVisibilityQuery(
    {
      taskQueue,
      ...(filter.teams ? { teams: [...filter.teams] } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.waiting ? { waiting: true } : {}),
      ...(filter.ids ? { ids: [...filter.ids] } : {}),
      ...(filter.startedBy !== undefined ? { startedBy: filter.startedBy } : {}),
    },
    mode,
  );
}

export function rowOf(info: ListedExecution): RunRow | null {
  const team = info.memo?.team;
  if (typeof team !== 'string') return null;
  return {
    runId: info.workflowId,
    team,
    status: runStatusOf(info),
    contextId: typeof info.memo?.contextId === 'string' ? info.memo.contextId : null,
    waiting: readStatusMemo(info)?.waiting ?? null,
    startedAt: info.startTime.toISOString(),
    closedAt: info.closeTime?.toISOString() ?? null,
  };
}

/**
 * One page of rows, newest first: `offset` rows that pass the filter are skipped, then up to
 * `limit` are returned, with whether more follow. The first page costs one visibility call
 * whatever the namespace holds when visibility applies every filter (the run search attributes);
 * filters it cannot apply (a memo's status, for runs without the attributes) scan.
 */
export async function pageOfRows(
  client: Client,
  taskQueue: string,
  filter: RowFilter,
  offset: number,
  limit: number,
  mode: QueryMode = 'memo',
): Promise<{ rows: RunRow[]; more: boolean }> {
  const rows: RunRow[] = [];
  let skipped = 0;
  // When visibility applies every filter, the rows wanted are the first ones listed: ask for just that many.
  const byMemo = mode !== 'indexed' && (filter.status !== undefined || filter.waiting === true || filter.startedBy !== undefined);
  for await (const info of listExecutions(client, rowQuery(taskQueue, filter, mode), byMemo ? 200 : limit + offset + 1)) {
    const row = rowOf(info);
    if (!row || !filter.teams.has(row.team) || !filter.reach(readRunStarter(info))) continue;
    if (filter.status && row.status !== filter.status) continue;
    if (filter.waiting && row.status !== 'input-required') continue;
    if (skipped < offset) {
      skipped += 1;
      continue;
    }
    if (rows.length === limit) return { rows, more: true };
    rows.push(row);
  }
  return { rows, more: false };
}
