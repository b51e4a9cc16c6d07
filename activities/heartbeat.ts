import { Context } from '@temporalio/activity';

/**
 * Beats for the current activity every half heartbeat timeout (at least every 200 ms), so a dead
 * worker is noticed and a cancellation is delivered while a slow call is under way. `beat` sends
 * one heartbeat (with details, when it has any); returns the function that stops the beating.
 */
export function keepHeartbeating(beat?: () => void): () => void {
  const ctx = Context.current();
  const every = Math.max(200, (ctx.info.heartbeatTimeoutMs ?? 60_000) / 2);
  const ticker = setInterval(beat ?? (() => ctx.heartbeat()), every);
  return () => clearInterval(ticker);
}
