import type { RunStatus } from '../core/status';
import type { ListedExecution } from '../client/listing/list-executions';
import type { RunLister } from '../client/listing/run-lister';
import type { RunFilter } from '../client/listing/run-query';
import { runStatusOf, readStatusMemo } from '../temporal/run-status';
import type { RunStarter } from '../temporal/run-starter';

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
  lister: RunLister,
  taskQueue: string,
  filter: RowFilter,
  offset: number,
  limit: number,
): Promise<{ rows: RunRow[]; more: boolean }> {
  const rows: RunRow[] = [];
  let skipped = 0;
  const wanted: RunFilter = {
    taskQueue,
    teams: [...filter.teams],
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.waiting ? { waiting: true } : {}),
    ...(filter.ids ? { ids: [...filter.ids] } : {}),
    ...(filter.startedBy !== undefined ? { startedBy: filter.startedBy } : {}),
  };
  for await (const info of lister.runs(wanted, { reach: filter.reach, want: offset + limit + 1 })) {
    const row = rowOf(info);
    if (!row) continue;
    if (skipped < offset) {
      skipped += 1;
      continue;
    }
    if (rows.length === limit) return { rows, more: true };
    rows.push(row);
  }
  return { rows, more: false };
}
