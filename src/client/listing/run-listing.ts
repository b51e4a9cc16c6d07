import type { Client } from '@temporalio/client';
import { forkOriginOf, type ForkOrigin } from '../../core/fork';
import type { RunStatus } from '../../core/status';
import type { RunLister } from './run-lister';
import { runStatusOf, readStatusMemo } from '../../temporal/run-status';
import { describeForStall, readStall, type RunStall } from '../stall';

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

/** Runs in visibility's order (in progress first, newest first), of every task queue, as `list` shows them. */
export async function listRuns(
  client: Client,
  lister: RunLister,
  { limit = 50, waiting = false, stalled = false }: ListOptions = {},
): Promise<RunListing[]> {
  const listings: RunListing[] = [];
  const filter = { ...(waiting ? { waiting } : {}), ...(stalled ? { running: true } : {}) };
  for await (const info of lister.runs(filter, { want: limit })) {
    const status = runStatusOf(info);
    const stall = stalled ? await stallOf(client, info.workflowId, status) : undefined;
    if (stalled && !stall) continue;
    const forkedFrom = forkOriginOf(info.memo?.forkedFrom);
    const memo = readStatusMemo(info);
    listings.push({
      runId: info.workflowId,
      team: typeof info.memo?.team === 'string' ? info.memo.team : null,
      status,
      waiting: memo?.waiting ?? null,
      ...(memo?.spend ? { spend: memo.spend } : {}),
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
