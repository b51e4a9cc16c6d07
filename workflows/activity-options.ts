import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';
import { durationToMs, type Duration } from '../src/core/duration';
import type { RetrySpec, TimeoutsSpec } from '../src/spec/retry';

/**
 * Defaults for a model call: a slow model gets five minutes an attempt; a worker that dies is
 * noticed within the heartbeat timeout; transient failures are retried with backoff, a bounded
 * number of times, so a run with a broken endpoint fails instead of waiting forever.
 */
export const DEFAULT_TIMEOUTS: Required<Pick<TimeoutsSpec, 'startToClose' | 'heartbeat'>> = { startToClose: '5m', heartbeat: '30s' };

/**
 * A model call beats every second from its first line to its last (the store read and write
 * included), so a worker that dies mid-call is given up on after 5 s without a beat, and the
 * retry (1 s later) starts on another worker: a run stands still under 10 s, not half a minute.
 * Other calls keep 30 s: user code (tools, selector functions) may hold the event loop longer.
 */
export const MODEL_CALL_HEARTBEAT: Duration = '5s';

export const DEFAULT_RETRY: Required<Omit<RetrySpec, 'nonRetryableErrorTypes'>> = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '1m',
  maximumAttempts: 8,
};

/** Failure types no retry can fix. */
const NEVER_RETRIED = ['InvalidActivityInput', 'ModelConfigError'];

const ms = (duration: Duration): number => durationToMs(duration) ?? 0;

/**
 * `waitsForCancel`: a cancelled call is waited for until it has stopped (its HTTP request aborted,
 * its remote task told), instead of being reported cancelled at once (see cancel-waits.ts).
 */
export function activityOptions(
  retry: RetrySpec = {},
  timeouts: TimeoutsSpec = {},
  waitsForCancel = false,
  defaultHeartbeat: Duration = DEFAULT_TIMEOUTS.heartbeat,
): ActivityOptions {
  return {
    ...(waitsForCancel ? { cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED } : {}),
    startToCloseTimeout: ms(timeouts.startToClose ?? DEFAULT_TIMEOUTS.startToClose),
    heartbeatTimeout: ms(timeouts.heartbeat ?? defaultHeartbeat),
    ...(timeouts.scheduleToClose !== undefined ? { scheduleToCloseTimeout: ms(timeouts.scheduleToClose) } : {}),
    retry: {
      initialInterval: ms(retry.initialInterval ?? DEFAULT_RETRY.initialInterval),
      backoffCoefficient: retry.backoffCoefficient ?? DEFAULT_RETRY.backoffCoefficient,
      maximumInterval: ms(retry.maximumInterval ?? DEFAULT_RETRY.maximumInterval),
      // 0 means unlimited in a team file; Temporal's SDK says that by leaving the field out.
      ...(retry.maximumAttempts === 0 ? {} : { maximumAttempts: retry.maximumAttempts ?? DEFAULT_RETRY.maximumAttempts }),
      nonRetryableErrorTypes: [...NEVER_RETRIED, ...(retry.nonRetryableErrorTypes ?? [])],
    },
  };
}
