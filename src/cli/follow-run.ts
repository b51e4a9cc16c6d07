import type { RunSnapshot } from '../core/state';
import type { TeamClient } from '../temporal/team-client';
import type { Output } from './output';
import { renderEvent, statusRecord } from './render';

/**
 * Prints a run's events as they happen until it ends, then returns its final state. Ctrl-C stops
 * the printing, not the run: it lives in Temporal and goes on.
 */
export async function followRun(client: TeamClient, runId: string, out: Output): Promise<RunSnapshot | null> {
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const events = client.follow(runId, {
      signal: abort.signal,
      onWaiting: (waiting, detail) => out.note(out.yellow(waiting ? detail : 'a worker is answering again')),
    });
    for await (const event of events) {
      out.record(event);
      renderEvent(event, out);
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (abort.signal.aborted) {
    out.note(`stopped following; the run goes on. See it with \`durable-teams status ${runId}\``);
    return null;
  }
  const snapshot = await client.getState(runId);
  out.record({ type: 'result', ...statusRecord(snapshot) });
  return snapshot;
}
