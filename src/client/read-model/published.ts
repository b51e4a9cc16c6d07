import type { RunEvent } from '../../core/events';
import type { EventPage } from '../../core/paging';
import { isRunHead, type RunHead } from '../../core/run-head';
import { executionHistory, previousExecution, type HistoryReader } from './history';

/** The most executions a reader walks back through for old events (each continue-as-new is one). */
const MAX_EXECUTIONS_BACK = 20;

/**
 * The run's read model head from its memo (as describe() or a listing gives it), or null for a run
 * without one — or whose head is behind its status memo: a run begun by this code but worked by a
 * worker from before the read model, which keeps only the status memo (deploy workers first).
 */
export function headOf(view: { memo?: Record<string, unknown> }): RunHead | null {
  const read = view.memo?.read;
  if (!isRunHead(read)) return null;
  const { status, updatedAt } = view.memo as { status?: unknown; updatedAt?: unknown };
  if (typeof status === 'string' && status !== read.snapshot.status) return null;
  if (typeof updatedAt === 'number' && updatedAt > read.snapshot.updatedAt) return null;
  return read;
}

/**
 * The run's events above `after` (at most `limit`), from the publications in its history: the
 * current execution first, then the ones it continued from while older events are wanted. `gap`
 * says events were wanted from before anything history still holds.
 */
export async function eventsFromHistory(
  client: HistoryReader,
  runId: string,
  execution: string,
  after: number,
  limit = 500,
): Promise<EventPage> {
  const found: RunEvent[] = [];
  let lastSeq = 0;
  let current: string | null = execution;
  for (let back = 0; current && back < MAX_EXECUTIONS_BACK; back++) {
    const events = await publishedEvents(client, runId, current);
    if (back === 0) lastSeq = events.at(-1)?.seq ?? 0;
    found.unshift(...events);
    const first = found[0]?.seq;
    if (first !== undefined && first <= after + 1) break;
    current = await previousExecution(client, runId, current);
  }
  const first = found[0]?.seq ?? lastSeq + 1;
  const unique = found.filter((e, i) => e.seq > after && (i === 0 || e.seq > found[i - 1]!.seq));
  return { events: unique.slice(0, limit), lastSeq: Math.max(lastSeq, found.at(-1)?.seq ?? 0), gap: after + 1 < first };
}

/** Every event one execution published, in order. */
async function publishedEvents(client: HistoryReader, runId: string, execution: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const item of executionHistory(client, runId, execution, { wait: false }))
    if (item.type === 'published') for (const event of item.events) if (event.seq > (events.at(-1)?.seq ?? 0)) events.push(event);
  return events;
}
