import type { RunEvent } from '../core/events';
import type { RunStall } from '../core/stall';
import { followEvents, type FollowOptions } from './follow';
import type { RunReads } from './run-reads';

/** A run's event, or the news that it stalled (with why) or recovered (null). */
export type FollowItem = { type: 'event'; event: RunEvent } | { type: 'stall'; stall: RunStall | null };

/**
 * The run's events as `follow` yields them, with its stalls and recoveries in between, for a
 * consumer that can only yield (a stream) and so cannot use `onStalled`'s callback directly. The
 * callback fires while the follower waits for events, so a notice races the next event.
 */
export async function* followWithStalls(
  client: RunReads,
  runId: string,
  options: Omit<FollowOptions, 'onStalled'> = {},
): AsyncGenerator<FollowItem> {
  // Our own abort, so a consumer that stops early also stops the poller behind a pending next().
  const stop = new AbortController();
  const outer = options.signal;
  const onOuterAbort = () => stop.abort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  if (outer?.aborted) stop.abort();

  const notices: (RunStall | null)[] = [];
  let wake = () => {};
  const events = followEvents(client, runId, {
    ...options,
    signal: stop.signal,
    onStalled: (stall) => {
      notices.push(stall);
      wake();
    },
  });
  let pending: Promise<IteratorResult<RunEvent>> | null = null;
  try {
    for (;;) {
      pending ??= events.next();
      const noticed = new Promise<null>((resolve) => (wake = () => resolve(null)));
      const next = notices.length > 0 ? null : await Promise.race([pending, noticed]);
      while (notices.length > 0) yield { type: 'stall', stall: notices.shift() ?? null };
      if (!next) continue;
      pending = null;
      if (next.done) return;
      yield { type: 'event', event: next.value };
    }
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
    stop.abort();
    pending?.catch(() => undefined); // an abort mid-query rejects it; nobody is listening any more
    // Not awaited: a next() in flight ends at the follower's next check of the signal.
    void events.return(undefined).catch(() => undefined);
  }
}
