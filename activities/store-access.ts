import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { MissingBodyError } from '../src/core/stored-messages';
import { MessageTooLargeError } from '../src/store/conversation-store';

/** The longest wait between two tries of a store that is down. */
const MAX_WAIT_MS = 10_000;

/**
 * Runs a conversation-store operation inside an activity. A store that is down (PostgreSQL
 * restarting, a network blip) is waited for, heartbeating, until the attempt's own deadline, so
 * the run waits instead of spending its model retries on it; then Temporal's retry policy takes
 * over. A message whose body is gone, or one too long to take, is no outage: that fails the
 * activity for good, by name.
 */
export async function withStore<T>(operation: () => Promise<T>): Promise<T> {
  const ctx = Context.current();
  let wait = 250;
  for (;;) {
    try {
      return await operation();
    } catch (err) {
      if (err instanceof MissingBodyError || err instanceof MessageTooLargeError)
        throw ApplicationFailure.nonRetryable(err.message, err.name);
      if (ctx.cancellationSignal.aborted) throw err;
      const left = ctx.info.startToCloseTimeoutMs - (Date.now() - ctx.info.currentAttemptScheduledTimestampMs);
      if (left < wait + 1_000) throw err;
      ctx.log.warn('the conversation store is not answering; waiting for it', { error: (err as Error).message, retryInMs: wait });
      ctx.heartbeat();
      await sleep(wait, undefined, { signal: ctx.cancellationSignal }).catch(() => undefined);
      wait = Math.min(MAX_WAIT_MS, wait * 2);
    }
  }
}
