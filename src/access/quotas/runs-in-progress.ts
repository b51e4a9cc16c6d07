import { AsyncLocalStorage } from 'node:async_hooks';
import { starterKeyword } from '../../visibility/run-attributes';
import type { RunStarter } from '../../temporal/run-starter';
import type { RunStart, StartOutcome, TeamClient } from '../../client/team-client';

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

/**
 * The place one admitted start holds, counted once whatever it is when counted: a start let
 * through (no run id yet), a run being started (its id known), then that run (started at
 * `startedAt`) until visibility is sure to list it.
 */
interface Place {
  readonly key: string;
  runId: string | null;
  startedAt: number | null;
}

export type RunsVerdict = { allowed: true; admission: Place } | { allowed: false; running: number };

/** The admission a request runs under, for the start hook: any front end's in this process, so one never admits another's start twice. */
const admitted = new AsyncLocalStorage<Place>();

/**
 * Runs in progress per caller, counted from Temporal's visibility (so every replica sees every
 * replica's runs) by the `startedBy` in their memos. A run waiting on a person is in progress.
 * Visibility lags a run just started by a moment; so the places this process gave out count too:
 * starts let through whose run is still being started, and runs started in the last few seconds.
 * Within a process admission is atomic: one caller's starts are admitted one at a time, and each
 * place is counted exactly once (see count). What is left is a race between replicas: two taking
 * a start from one caller at the same instant may each let one through.
 */
export class RunsInProgress {
  private readonly places = new Map<string, Set<Place>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  /** The admissions this front end gave out, told apart from another's in the same process. */
  private readonly mine = new WeakSet<Place>();
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
      const admission = this.hold({ key, runId: null, startedAt: null });
      this.mine.add(admission);
      return { allowed: true, admission };
    });
    const settled = turn.catch(() => {});
    this.locks.set(key, settled);
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return turn;
  }

  /** Runs `next` with the admission in its async context, so the start it leads to takes its place. */
  within(admission: Place, next: () => void): void {
    admitted.run(admission, next);
  }

  /** The admission's request ended: if it got to no start, it no longer holds a place (a start under way keeps it). */
  release(admission: Place): void {
    if (admission.runId === null) this.drop(admission);
  }

  /**
   * The client's start hook (see start-hooks.ts): a start under an admission of this front end
   * takes its place, and keeps it as its run once started. A start that comes with no admission
   * (a way of starting that asked none) is admitted here, under the same turn per caller, and
   * refused with `refusal` over the limit: every start of a caller's run passes one admission.
   */
  async onStart(start: RunStart, refusal: (starter: RunStarter, running: number) => Error): Promise<StartOutcome | void> {
    if (!start.startedBy) return;
    const given = admitted.getStore();
    let place: Place;
    if (given && this.mine.has(given) && this.holds(given) && given.runId === null) place = given;
    else if (given && !this.mine.has(given)) {
      // Admitted by another front end of this process (they share the client), which counts it;
      // here it is remembered as any run this process started.
      place = this.hold({ key: starterKey(start.startedBy), runId: null, startedAt: null });
    } else {
      // No admission, or one whose request ended before its start (or that started a run already).
      const verdict = await this.admit(start.startedBy);
      if (!verdict.allowed) throw refusal(start.startedBy, verdict.running);
      place = verdict.admission;
    }
    place.runId = start.runId;
    return (started) => {
      if (started) place.startedAt = this.clock();
      else this.drop(place);
    };
  }

  /**
   * The caller's runs in progress: those visibility lists as running, and each place given out
   * here that visibility does not account for. The places are taken before the first wait and
   * each is judged once, after the listing, by what it is then (a place that changes while this
   * runs is neither missed nor counted twice): a start let through counts; a run being started
   * counts unless listed; a run started counts unless listed or already ended.
   */
  private async count(key: string): Promise<number> {
    this.sweep();
    const places = [...(this.places.get(key) ?? [])];
    // Starts under way count whatever visibility says: at the limit with them alone, no need to ask it.
    const underWay = places.filter((place) => place.startedAt === null).length;
    if (underWay >= this.limit) return underWay;
    const listed = new Set<string>();
    // The lister checks each run's memo too: the memo's `startedBy` decides, whatever the attributes say.
    for await (const run of this.client.lister.runs({ taskQueue: this.client.taskQueue, running: true, startedBy: key }))
      listed.add(run.workflowId);
    let pending = 0;
    const started: string[] = [];
    for (const place of places) {
      if (!this.holds(place) || (place.runId !== null && listed.has(place.runId))) continue;
      if (place.runId === null || place.startedAt === null) pending += 1;
      else started.push(place.runId);
    }
    return listed.size + pending + (await this.notYetVisible(started));
  }

  /** Of runs just started and not listed as running: those visibility does not list at all yet (the others have ended). */
  private async notYetVisible(runIds: string[]): Promise<number> {
    if (runIds.length === 0) return 0;
    const seen = new Set<string>();
    for await (const run of this.client.lister.byIds(runIds)) if (run.status.name !== 'RUNNING') seen.add(run.workflowId);
    return runIds.filter((id) => !seen.has(id)).length;
  }

  private hold(place: Place): Place {
    let held = this.places.get(place.key);
    if (!held) this.places.set(place.key, (held = new Set()));
    held.add(place);
    return place;
  }

  private holds(place: Place): boolean {
    return this.places.get(place.key)?.has(place) ?? false;
  }

  private drop(place: Place): void {
    const held = this.places.get(place.key);
    held?.delete(place);
    if (held?.size === 0) this.places.delete(place.key);
  }

  /** Runs started long enough ago are visibility's to count: their places go (every caller's, so none piles up). */
  private sweep(): void {
    const since = this.clock() - RECENT_START_MS;
    for (const held of [...this.places.values()])
      for (const place of held) if (place.startedAt !== null && place.startedAt <= since) this.drop(place);
  }
}
