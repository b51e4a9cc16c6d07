import type { Response } from 'express';
import { answerableError } from '../faults/faults';
import { requestOf } from '../faults/request-id';
import type { TeamClient } from '../client/team-client';

/**
 * A run's events above `after`, with the text being written between them, as JSON Lines over one
 * chunked response. The page reads it with fetch (EventSource cannot send the Authorization header).
 * One line per item: `{ type: 'event' | 'live' | 'stall' | 'waiting', ... }`, as TeamClient.watch yields.
 * A failure once the stream is under way is its last line, `{ type: 'error', message }`: in its
 * own words when foreseen, else logged under the request's id and told as that id.
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
    if (!gone.aborted) {
      const told = answerableError(err, requestOf(res)) as Error;
      res.write(`${JSON.stringify({ type: 'error', message: told.message })}\n`);
    }
  } finally {
    clearInterval(keepAlive);
    res.end();
  }
}
