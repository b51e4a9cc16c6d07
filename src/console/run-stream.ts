import type { Response } from 'express';
import type { TeamClient } from '../temporal/team-client';

/**
 * A run's events above `after`, with the text being written between them, as JSON Lines over one
 * chunked response. The page reads it with fetch (EventSource cannot send the Authorization header).
 * One line per item: `{ type: 'event' | 'live' | 'stall' | 'waiting', ... }`, as TeamClient.watch yields.
 */
export async function streamRun(client: TeamClient, runId: string, after: number, res: Response, gone: AbortSignal): Promise<void> {
  res.status(200).set({ 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  res.flushHeaders();
  // A line now and then keeps proxies from closing a quiet stream while the run waits on a person.
  const keepAlive = setInterval(() => res.write('{"type":"ping"}\n'), 15_000);
  try {
    for await (const item of client.watch(runId, { after, signal: gone })) {
      if (gone.aborted) break;
      res.write(`${JSON.stringify(item)}\n`);
    }
  } catch (err) {
    if (!gone.aborted) res.write(`${JSON.stringify({ type: 'error', message: (err as Error).message })}\n`);
  } finally {
    clearInterval(keepAlive);
    res.end();
  }
}
