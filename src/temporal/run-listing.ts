import type { Client } from '@temporalio/client';
import type { RunStatus } from '../core/status';
import { TEAM_RUN_WORKFLOW } from '../../workflows/definitions';
import { listExecutions, type ListedExecution } from './list-executions';
import { runStatusOf, readStatusMemo } from './run-status';

/** A run as `list` shows it, from Temporal's visibility store (no worker needed). */
export interface RunListing {
  runId: string;
  team: string | null;
  status: RunStatus;
  /** While it waits on a person: the request's id, kind and the start of its prompt. */
  waiting: { requestId: string; kind: string; prompt: string } | null;
  startedAt: Date;
  closedAt: Date | null;
}

export interface ListOptions {
  limit?: number;
  /** Only runs waiting on a person. */
  waiting?: boolean;
}

/** Runs newest first. Visibility may lag a second behind a change. */
export async function listRuns(client: Client, { limit = 50, waiting = false }: ListOptions = {}): Promise<RunListing[]> {
  const running = waiting ? ` AND ExecutionStatus = 'Running'` : '';
  const listings: RunListing[] = [];
  for await (const info of listExecutions(client, `WorkflowType = '${TEAM_RUN_WORKFLOW}'${running}`)) {
    const status = runStatusOf(info);
    if (waiting && status !== 'input-required') continue;
    listings.push({
      runId: info.workflowId,
      team: typeof info.memo?.team === 'string' ? info.memo.team : null,
      status,
      waiting: readStatusMemo(info)?.waiting ?? null,
      startedAt: info.startTime,
      closedAt: info.closeTime ?? null,
    });
    if (listings.length >= limit) break;
  }
  return listings;
}

/**
 * One team's runs on one task queue, newest first, as Temporal's visibility store lists them: its
 * run ids start with the team's name, and the memo confirms it. For listings that filter and page
 * by themselves, such as the A2A front end's ListTasks.
 */
export async function* listTeamExecutions(client: Client, taskQueue: string, team: string): AsyncGenerator<ListedExecution> {
  const query = `WorkflowType = '${TEAM_RUN_WORKFLOW}' AND TaskQueue = '${taskQueue.replace(/'/g, '')}' AND WorkflowId STARTS_WITH '${team.replace(/'/g, '')}-'`;
  for await (const info of listExecutions(client, query)) {
    if (info.memo?.team === team) yield info;
  }
}
