import { RequestMalformedError, TaskNotFoundError } from '@a2a-js/sdk/errors';
import { mayReach, reachesAll } from '../../access/access';
import type { Caller } from '../../access/caller';
import { isHuman } from '../../spec/agent';
import type { RunReport } from '../../client/run-report';
import type { TeamClient } from '../../client/team-client';
import { onRun } from './run-errors';
import type { TeamHandlerSettings } from './settings';

/**
 * One team's tasks as every call of its handler reaches them: the settings, what each view of a
 * task needs, and the checks made before a run is read, so that every call makes them alike.
 */
export class TeamTasks {
  readonly people: ReadonlySet<string>;
  /** What every view of a task needs: the team's people, and where files by URL are served. */
  readonly mapping: { people: ReadonlySet<string>; filesAt?: string };

  constructor(readonly settings: TeamHandlerSettings) {
    this.people = new Set(settings.team.agents.filter(isHuman).map((a) => a.name));
    this.mapping = { people: this.people, ...(settings.filesAt ? { filesAt: settings.filesAt } : {}) };
  }

  get client(): TeamClient {
    return this.settings.client;
  }

  /**
   * The run behind a task of this team that the caller may reach, or -32001 — the same answer,
   * word for word, for a task that does not exist, belongs to another team or to another caller.
   * A caller confined to its own tasks is checked from the run's memo alone (one describe, as
   * for an unknown task), before any worker is asked about the run.
   */
  async report(taskId: string, caller: Caller, historyLength?: number): Promise<RunReport> {
    if (!reachesAll(caller)) await this.reach(taskId, caller);
    else if (!taskId) throw new RequestMalformedError('the task id is missing');
    const report = await this.readReport(taskId, historyLength);
    if (report.team !== this.settings.team.name) throw new TaskNotFoundError(`task ${taskId} not found`);
    return report;
  }

  /** Checks that the task is this team's and the caller may reach it, from Temporal's memo alone. */
  async reach(taskId: string, caller: Caller): Promise<void> {
    if (!taskId) throw new RequestMalformedError('the task id is missing');
    const seen = await onRun(() => this.client.peek(taskId));
    if (seen.team !== this.settings.team.name || !mayReach(caller, seen.startedBy)) throw new TaskNotFoundError(`task ${taskId} not found`);
  }

  /** The run's report, for a task already checked with report(). */
  readReport(taskId: string, historyLength?: number): Promise<RunReport> {
    return onRun(() => this.client.report(taskId, historyLength));
  }
}
