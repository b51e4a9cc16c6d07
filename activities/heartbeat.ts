import { Context } from '@temporalio/activity';

/**
 * How often a call in flight beats unless the worker says otherwise. Temporal tells an activity of
 * its cancellation only in the answer to a heartbeat, so this bounds how long a cancelled run's
 * model call, tool or remote task goes on: a second, whatever the heartbeat timeout (which only
 * bounds how long a dead worker goes unnoticed).
 */
export const DEFAULT_HEARTBEAT_EVERY_MS = 1_000;

/**
 * Beats for the current activity every `everyMs`, or every half heartbeat timeout when that is
 * shorter (at least every 200 ms), so a dead worker is noticed and a cancellation is delivered
 * while a slow call is under way. `beat` sends one heartbeat (with details, when it has any);
 * returns the function that stops the beating.
 */
export function keepHeartbeating(everyMs: number = DEFAULT_HEARTBEAT_EVERY_MS, beat?: () => void): () => void {
  const ctx = Context.current();
  const every = Math.max(200, Math.min(everyMs, (ctx.info.heartbeatTimeoutMs ?? 60_000) / 2));
  const ticker = setInterval(beat ?? (() => ctx.heartbeat()), every);
  return () => clearInterval(ticker);
}
