import { starterKeyword } from '../../visibility/run-attributes';
import type { ListedExecution } from './list-executions';
import type { RunFilter } from './run-query';
import { readRunStarter } from '../../temporal/run-starter';
import { readStatusMemo, runStatusOf } from '../../temporal/run-status';

/**
 * Whether a listed run is one the filter wants, by what its memo says. Visibility answers a
 * superset for runs without the search attributes (and for every run in `memo` mode; see
 * run-query.ts), so each listed run passes this test too; for runs with them it agrees with the
 * query, so applying it to every run costs nothing and keeps one rule for all.
 */
export function matchesFilter(info: ListedExecution, filter: RunFilter): boolean {
  if (filter.taskQueue !== undefined && info.taskQueue !== filter.taskQueue) return false;
  if (filter.ids && !filter.ids.includes(info.workflowId)) return false;
  const team = info.memo?.team;
  if (filter.teams && !(typeof team === 'string' && filter.teams.includes(team))) return false;
  // A run started without a context is its own context.
  if (filter.contextId !== undefined && (info.memo?.contextId ?? info.workflowId) !== filter.contextId) return false;
  if (filter.running && info.status.name !== 'RUNNING') return false;
  const status = runStatusOf(info);
  if (filter.status && status !== filter.status) return false;
  if (filter.waiting && status !== 'input-required') return false;
  if (filter.startedBy !== undefined) {
    const starter = readRunStarter(info);
    if (!starter || starterKeyword(starter) !== filter.startedBy) return false;
  }
  if (filter.updatedSince && updatedAtOf(info) < filter.updatedSince.getTime()) return false;
  return true;
}

/** When the run's status last changed: its memo's time, else when it ended or began. */
export function updatedAtOf(info: ListedExecution): number {
  return readStatusMemo(info)?.updatedAt ?? (info.closeTime ?? info.startTime).getTime();
}
