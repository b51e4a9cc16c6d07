import { setTimeout as sleep } from 'node:timers/promises';
import type { RunEvent } from '../core/events';
import type { RunStall } from '../core/stall';
import { NoWorkerError, RunNotFoundError, RunStalledError } from '../temporal/errors';
import type { RunReads } from './run-reads';

export interface FollowOptions {
  /** Start after this event number; 0 (the default) replays the run from its start. */
  after?: number;
  signal?: AbortSignal;
  /** Poll interval while events keep coming, in ms. Default 50. */
  minPollMs?: number;
  /** Poll interval the follower slows down to while the run is quiet. Default 500. */
  maxPollMs?: number;
  /** Told when queries stop being answered (no worker running) and when they are answered again. */
  onWaiting?: (waiting: boolean, detail: string) => void;
  /** Told once when the run stalls (its workflow task keeps failing), with why, and with null when it recovers. */
  onStalled?: (stall: RunStall | null) => void;
  /**
   * Resolves when a worker says (through the live channel) that the run's events changed (`now`)
   * or are about to (`soon`: a reply is being recorded): the follower asks at once, and after
   * `soon` keeps asking every few milliseconds until the event is there, instead of at its next poll.
   */
  nudged?: () => Promise<Nudge>;
  /** True once nudges are known to come (a worker was heard): the follower may then poll slowly when quiet. */
  relaxed?: () => boolean;
}

export type Nudge = 'now' | 'soon';

/** After a nudge the asks come this fast: the event a worker announced lands within milliseconds. */
const NUDGED_POLL_MS = 5;
/** How long asks stay that fast after `soon`, unless the event comes first. */
const EAGER_WINDOW_MS = 500;
/** The slowest poll of a follower that workers nudge: it only catches what no nudge announced. */
const RELAXED_MAX_POLL_MS = 1_000;

/** How often a quiet follower asks whether the run ended without saying so (terminated, say). */
const CLOSED_CHECK_MS = 2_000;

/**
 * How often a stalled run is asked again. Temporal itself retries the failing task ever more
 * slowly, and each look at a stalled run costs a query, a describe and a page of history.
 */
const STALLED_POLL_MS = 5_000;

/**
 * Polls the run's events query and yields each event once, in order, until `run_finished`.
 * Survives worker restarts (it waits and says so) and continue-as-new (event numbers carry on).
 */
export async function* followEvents(client: RunReads, runId: string, options: FollowOptions = {}): AsyncGenerator<RunEvent> {
  const { signal, minPollMs = 50, maxPollMs = 500, onWaiting, onStalled, nudged, relaxed } = options;
  let after = options.after ?? 0;
  let delay = minPollMs;
  let eagerUntil = 0;
  let waiting = false;
  let stalled = false;
  let lastClosedCheck = Date.now();

  while (!signal?.aborted) {
    let events: RunEvent[];
    try {
      events = (await client.events(runId, after)).events; // a NoWorkerError after QUERY_TIMEOUT_MS
      if (waiting) onWaiting?.((waiting = false), 'a worker is answering again');
      if (stalled) {
        stalled = false;
        onStalled?.(null);
      }
    } catch (err) {
      if (err instanceof RunNotFoundError || signal?.aborted) throw err;
      if (err instanceof RunStalledError) {
        // Not a missing worker: the workers fail the run's task. Say it once, with why.
        if (!stalled) {
          stalled = true;
          onStalled?.(err.stall);
        }
      } else if (!waiting) {
        const why =
          err instanceof NoWorkerError
            ? `no worker is answering for task queue "${err.taskQueue}"; the run waits, safe in Temporal, until one starts`
            : `waiting for a worker to answer (${(err as Error).message.split('\n')[0]})`;
        onWaiting?.((waiting = true), why);
      }
      if (await endedSilently(client, runId)) return;
      await pause(stalled ? STALLED_POLL_MS : 1_000, signal);
      continue;
    }

    for (const event of events) {
      yield event;
      after = event.seq;
      if (event.type === 'run_finished') return;
    }
    if (events.length > 0) {
      delay = minPollMs;
      eagerUntil = 0;
      continue;
    }
    if (Date.now() - lastClosedCheck >= CLOSED_CHECK_MS) {
      lastClosedCheck = Date.now();
      if (await endedSilently(client, runId)) return;
    }
    const nudge = await pause(delay, signal, nudged?.());
    if (nudge === 'soon') eagerUntil = Date.now() + EAGER_WINDOW_MS;
    if (nudge || Date.now() < eagerUntil) delay = NUDGED_POLL_MS;
    else delay = Math.min(relaxed?.() ? RELAXED_MAX_POLL_MS : maxPollMs, Math.ceil(delay * 1.5));
  }
}

/** Closed without a run_finished event: terminated or timed out from outside the workflow. */
async function endedSilently(client: RunReads, runId: string): Promise<boolean> {
  const status = await client.executionStatus(runId);
  return status === 'TERMINATED' || status === 'TIMED_OUT';
}

/** Waits `ms`, or less when nudged; says how it was nudged, or null. */
async function pause(ms: number, signal?: AbortSignal, nudge?: Promise<Nudge>): Promise<Nudge | null> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const slept = sleep(ms, null, { signal: stop.signal });
    return await (nudge ? Promise.race([slept, nudge]) : slept);
  } catch {
    return null; // aborted: the loop condition ends the follow
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stop.abort(); // the timer of a nudged pause is not left behind
  }
}
