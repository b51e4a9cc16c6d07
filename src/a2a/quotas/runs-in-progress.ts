import { AsyncLocalStorage } from 'node:async_hooks';
import { starterKeyword } from '../../../workflows/search-attributes';
import { listExecutions } from '../../temporal/list-executions';
import { runVisibilityQuery } from '../../temporal/run-query';
import { readRunStarter, type RunStarter } from '../../temporal/run-starter';
import type { TeamClient } from '../../temporal/team-client';

/** What Retry-After says to a caller at its runs limit: runs end when they end, so a fixed guess. */
export const RUNS_RETRY_AFTER_SECONDS = 30;

/** How long a run this front end started is counted even though visibility does not list it yet. */
export const RECENT_START_MS = 10_000;

/** One key per caller: the token's name, or the address when tokens are off. */
export const starterKey: (starter: RunStarter) => string = starterKeyword;

/** The caller as a message names it. */
export function starterLabel(starter: RunStarter): string {
  return 'token' in starter ? `"${starter.token}"` : `address ${starter.address}`;
}

/** A start let through whose run is not yet started (or refused): it counts meanwhile. */
interface Admission {
  key: string;
}

export type RunsVerdict = { allowed: true; admission: Admission } | { allowed: false; running: number };

/**
 * Runs in progress per caller, counted from Temporal's visibility (so every replica sees every
 * replica's runs) by the `startedBy` in their memos. A run waiting on a person is in progress.
 * Visibility lags a run just started by a moment; so the runs this process started in the last
 * few seconds count too, and so do starts let through whose run is still being started. What is
 * left is a race between replicas: two starting at the same instant may each let one through.
 */
export class RunsInProgress {
  private readonly recent = new Map<string, { runId: string; at: number }[]>();
  private readonly pending = new Map<string, Set<Admission>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly current = new AsyncLocalStorage<Admission>();
  private visibilityDown = false;

  constructor(
    private readonly client: TeamClient,
    readonly limit: number,
    private readonly clock: () => number = Date.now,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Whether the caller may start one more run; one at a time per caller in this process, so two requests cannot both take the last place. */
  admit(starter: RunStarter): Promise<RunsVerdict> {
    const key = starterKey(starter);
    const turn = (this.locks.get(key) ?? Promise.resolve()).then(async (): Promise<RunsVerdict> => {
      let running = 0;
      try {
        running = await this.count(key);
        if (this.visibilityDown) this.log('runs in progress can be counted again; the limit per caller holds again');
        this.visibilityDown = false;
      } catch (err) {
        // As with the request counter: a quota that cannot be checked lets the start through.
        if (!this.visibilityDown)
          this.log(`runs in progress cannot be counted, so they are not limited for now: ${(err as Error).message}`);
        this.visibilityDown = true;
      }
      if (running >= this.limit) return { allowed: false, running };
      const admission = { key };
      let pending = this.pending.get(key);
      if (!pending) this.pending.set(key, (pending = new Set()));
      pending.add(admission);
      return { allowed: true, admission };
    });
    const settled = turn.catch(() => {});
    this.locks.set(key, settled);
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return turn;
  }

  /** Runs `next` with the admission in its async context, so the start it leads to is matched to it. */
  within(admission: Admission, next: () => void): void {
    this.current.run(admission, next);
  }

  /** The admission's request ended: if it started no run, it no longer holds a place. */
  release(admission: Admission): void {
    const pending = this.pending.get(admission.key);
    pending?.delete(admission);
    if (pending?.size === 0) this.pending.delete(admission.key);
  }

  /** The client the request handler starts runs with: a start made within an admission is remembered until visibility lists it. */
  watching(client: TeamClient): TeamClient {
    const start: TeamClient['start'] = async (team, task, options = {}) => {
      const admission = this.current.getStore();
      try {
        const runId = await client.start(team, task, options);
        if (options.startedBy) {
          const key = starterKey(options.startedBy);
          const recent = this.recent.get(key) ?? [];
          recent.push({ runId, at: this.clock() });
          this.recent.set(key, recent);
        }
        return runId;
      } finally {
        if (admission) this.release(admission);
      }
    };
    return new Proxy(client, { get: (target, prop, receiver) => (prop === 'start' ? start : Reflect.get(target, prop, receiver)) });
  }

  private async count(key: string): Promise<number> {
    const listed = new Set<string>();
    for await (const run of this.client.runningExecutions(key)) {
      const starter = readRunStarter(run);
      if (starter && starterKey(starter) === key) listed.add(run.workflowId);
    }
    const since = this.clock() - RECENT_START_MS;
    const recent = (this.recent.get(key) ?? []).filter((r) => r.at > since);
    if (recent.length) this.recent.set(key, recent);
    else this.recent.delete(key);
    const unlisted = recent.filter((r) => !listed.has(r.runId)).map((r) => r.runId);
    return listed.size + (await this.notYetVisible(unlisted)) + (this.pending.get(key)?.size ?? 0);
  }

  /** Of runs just started and not listed as running: those visibility does not list at all yet (the others have ended). */
  private async notYetVisible(runIds: string[]): Promise<number> {
    if (runIds.length === 0) return 0;
    const seen = new Set<string>();
    for await (const run of listExecutions(this.client.client, runVisibilityQuery({ ids: runIds }, 'memo')))
      if (run.status.name !== 'RUNNING') seen.add(run.workflowId);
    return runIds.filter((id) => !seen.has(id)).length;
  }
}
