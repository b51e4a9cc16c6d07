import type { Client } from '@temporalio/client';
import type { RunStatus } from '../core/status';
import { TEAM_RUN_WORKFLOW } from '../../workflows/definitions';
import { listExecutions, type ListedExecution } from '../temporal/list-executions';
import { runStatusOf, readStatusMemo } from '../temporal/run-status';
import { readRunStarter, type RunStarter } from '../temporal/run-starter';

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
  /** Whether the caller may see a run started by this starter (see a2a/access.ts). */
  reach: (startedBy: RunStarter | null) => boolean;
}

/** Temporal's execution status that a run status implies, so visibility does the coarse filtering. */
const EXECUTION_OF: Record<RunStatus, string> = {
  submitted: 'Running',
  working: 'Running',
  'input-required': 'Running',
  'auth-required': 'Running',
  completed: 'Completed',
  rejected: 'Completed',
  canceled: 'Canceled',
  failed: 'Failed',
};

const quoted = (text: string) => `'${text.replace(/['\\]/g, '')}'`;

/** The visibility query for a filter: this queue's team runs, narrowed as far as visibility can. */
export function rowQuery(taskQueue: string, filter: Pick<RowFilter, 'status' | 'waiting' | 'ids'>): string {
  const parts = [`WorkflowType = '${TEAM_RUN_WORKFLOW}'`, `TaskQueue = ${quoted(taskQueue)}`];
  // A failed run may also be terminated or timed out; those are filtered by the memo below.
  if (filter.waiting) parts.push(`ExecutionStatus = 'Running'`);
  else if (filter.status && filter.status !== 'failed') parts.push(`ExecutionStatus = '${EXECUTION_OF[filter.status]}'`);
  if (filter.ids) parts.push(`WorkflowId IN (${[...filter.ids].map(quoted).join(', ') || "''"})`);
  return parts.join(' AND ');
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
 * `limit` are returned, with whether more follow. The unfiltered first page costs one visibility
 * call whatever the namespace holds; filters that visibility cannot apply (a memo's status) scan.
 */
export async function pageOfRows(
  client: Client,
  taskQueue: string,
  filter: RowFilter,
  offset: number,
  limit: number,
): Promise<{ rows: RunRow[]; more: boolean }> {
  const rows: RunRow[] = [];
  let skipped = 0;
  // Unfiltered, the rows wanted are the first ones listed: ask for just that many.
  const byMemo = filter.status !== undefined || filter.waiting === true;
  for await (const info of listExecutions(client, rowQuery(taskQueue, filter), byMemo ? 200 : limit + offset + 1)) {
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
