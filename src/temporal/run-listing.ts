import type { Client } from '@temporalio/client';
import { forkOriginOf, type ForkOrigin } from '../core/fork';
import type { RunStatus } from '../core/status';
import { listExecutions, type ListedExecution } from './list-executions';
import { runVisibilityQuery, type QueryMode } from './run-query';
import { runStatusOf, readStatusMemo } from './run-status';
import { describeForStall, readStall, type RunStall } from './stall';

/** A run as `list` shows it, from Temporal's visibility store (no worker needed). */
export interface RunListing {
  runId: string;
  team: string | null;
  status: RunStatus;
  /** While it waits on a person: the request's id, kind and the start of its prompt. */
  waiting: { requestId: string; kind: string; prompt: string } | null;
  startedAt: Date;
  closedAt: Date | null;
  /** Set on a fork, from its memo: the run it began from and the turn (see core/fork.ts). */
  forkedFrom?: ForkOrigin;
  /** A budgeted run's spend as of its last status change (from its memo). */
  spend?: { totalTokens: number; costUsd: number };
  /** Only with `stalled: true` (null there when the run is fine); see listRuns. */
  stalled?: RunStall | null;
}

export interface ListOptions {
  limit?: number;
  /** Only runs waiting on a person. */
  waiting?: boolean;
  /** Only runs whose workflow task keeps failing, each with why. Costs a describe per running run. */
  stalled?: boolean;
}

/**
 * Runs in visibility's order (in progress first, newest first). Visibility may lag a second behind
 * a change. `mode`: whether the namespace has the run search attributes (see run-query.ts); with
 * them, `waiting` is visibility's filter, not a memo scan.
 */
export async function listRuns(
  client: Client,
  { limit = 50, waiting = false, stalled = false }: ListOptions = {},
  mode: QueryMode = 'memo',
): Promise<RunListing[]> {
  const listings: RunListing[] = [];
  const query = runVisibilityQuery({ ...(waiting ? { waiting } : {}), ...(stalled ? { running: true } : {}) }, mode);
  for await (const info of listExecutions(client, query, mode === 'indexed' ? Math.min(limit, 1_000) : undefined)) {
    const status = runStatusOf(info);
    if (waiting && status !== 'input-required') continue;
    const stall = stalled ? await stallOf(client, info.workflowId, status) : undefined;
    if (stalled && !stall) continue;
    const forkedFrom = forkOriginOf(info.memo?.forkedFrom);
    listings.push({
      runId: info.workflowId,
      team: typeof info.memo?.team === 'string' ? info.memo.team : null,
      status,
      waiting: readStatusMemo(info)?.waiting ?? null,
      ...(readStatusMemo(info)?.spend ? { spend: readStatusMemo(info)!.spend } : {}),
      startedAt: info.startTime,
      closedAt: info.closeTime ?? null,
      ...(forkedFrom ? { forkedFrom } : {}),
      ...(stalled ? { stalled: stall } : {}),
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
  for await (const info of listExecutions(client, runVisibilityQuery({ taskQueue, teams: [team] }, 'memo'))) {
    if (info.memo?.team === team) yield info;
  }
}

/**
 * Visibility knows nothing of failing workflow tasks (the dev server's Temporal 1.29 indexes no
 * `TemporalReportedProblems`), so finding stalls takes a describe per run. Hence only when asked,
 * and only for runs that could be stalled and not know it: running ones whose memo says they work
 * (or were never picked up). A run that waits on a person has no workflow task to fail until an
 * answer comes; `status` still tells that case.
 */
async function stallOf(client: Client, runId: string, status: RunListing['status']): Promise<RunStall | null> {
  if (status !== 'working' && status !== 'submitted') return null;
  const handle = client.workflow.getHandle(runId);
  // Described raw: a run whose memo this process cannot decode is still looked at, not the end of the listing.
  return readStall(handle, await describeForStall(handle));
}

/**
 * Every team's runs in progress on one task queue (a run waiting on a person is in progress), as
 * visibility lists them; with `startedBy` (a starter keyword), visibility narrows them to that
 * caller's where the runs have search attributes (`mode`), and the memo's `startedBy` still decides.
 */
export function listRunningExecutions(
  client: Client,
  taskQueue: string,
  mode: QueryMode = 'memo',
  startedBy?: string,
): AsyncGenerator<ListedExecution> {
  return listExecutions(client, runVisibilityQuery({ taskQueue, running: true, ...(startedBy !== undefined ? { startedBy } : {}) }, mode));
}
