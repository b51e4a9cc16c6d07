import type { RunStarter } from '../temporal/run-starter';
import type { Caller } from './caller';

/**
 * Who may see and act on a task (A2A v1.0 §13.1: every task method is limited to what the caller
 * may reach, and a task it may not reach answers as an unknown one does, so its existence is not
 * revealed). Without auth (local development) every caller reaches every task. With tokens, a
 * caller reaches the tasks its token started; an `operator` reaches all of the served teams' tasks.
 * Runs that no token started (begun by the CLI, by an outer run, or before auth was turned on)
 * are reached by operators only.
 */
export function mayReach(caller: Caller, startedBy: RunStarter | null): boolean {
  if (caller.name === null || caller.roles.has('operator')) return true;
  return startedBy !== null && 'token' in startedBy && startedBy.token === caller.name;
}

/** Whether a caller reaches every task, so nothing needs checking per task. */
export const reachesAll = (caller: Caller): boolean => caller.name === null || caller.roles.has('operator');
